import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import * as schema from './schema/index.ts';

export type Schema = typeof schema;
/** The database or a transaction: repositories accept either. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema>;

export type DbTarget =
	| {
			url: string;
			/**
			 * A read-only PostgreSQL (a streaming replica) for the observatory's reads
			 * (SOHO_READ_DATABASE_URL); `readDb` is the primary's `db` without it.
			 */
			readUrl?: string;
	  }
	| { dataDir: string }
	| {
			memory: true;
			/** A PGlite data directory to start from (`dumpDataDir`): the tests' migrated template. */
			loadDataDir?: Blob;
	  };

/** The advisory lock key (pg_advisory_lock) that start-ups of every node take in turn: 'soho' in ASCII. */
export const STARTUP_LOCK_KEY = 0x736f686f;

export type DbHandle = {
	db: Db;
	/**
	 * Where the observatory reads (its pages, API, exports and report): a connection to the
	 * replica of SOHO_READ_DATABASE_URL when set, whose sessions are read-only (a write through
	 * it fails, as it would on a standby), otherwise `db` itself. Never pass it to a write.
	 */
	readDb: Db;
	/** True when `readDb` is a connection of its own (a replica), not the primary's. */
	hasReadReplica: boolean;
	kind: 'pglite' | 'postgres';
	/**
	 * Applies the committed SQL migrations that are not applied yet. On PostgreSQL under the
	 * start-up lock: nodes starting together migrate one after the other (the later ones find
	 * nothing to do) instead of racing on the same DDL.
	 */
	migrate: () => Promise<void>;
	/**
	 * Runs `run` while holding the start-up lock: one node at a time across every process on
	 * PostgreSQL (a session advisory lock on a connection of its own, released even if `run`
	 * throws); simply runs it on PGlite, which one process holds. The server's start (migrations,
	 * demo seed, setup code) goes through it.
	 */
	exclusive: <T>(run: () => Promise<T>) => Promise<T>;
	/**
	 * Calls `onNotify` with the payload of every NOTIFY on `channel` (from any process on
	 * PostgreSQL, through a dedicated connection; in-process on PGlite). After the PostgreSQL
	 * connection was lost and opened again, `onNotify(null)`: notifications may have been missed.
	 * Resolves once listening, to the function that stops it.
	 */
	listen: (channel: string, onNotify: (payload: string | null) => void) => Promise<() => Promise<void>>;
	close: () => Promise<void>;
};

/**
 * Finds the project root (the folder holding package.json) from this module, so the
 * migrations are found from the sources, the built server and the CLI alike.
 */
function findProjectRoot(): string {
	let dir = dirname(fileURLToPath(import.meta.url));
	for (;;) {
		if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'src/lib/server/db/migrations'))) {
			return dir;
		}
		const parent = dirname(dir);
		if (parent === dir) return process.cwd();
		dir = parent;
	}
}

export const MIGRATIONS_FOLDER = join(findProjectRoot(), 'src/lib/server/db/migrations');

export class DatabaseUnreachableError extends Error {
	constructor(
		readonly target: string,
		cause: unknown
	) {
		super(`Cannot reach the database at ${target}: ${cause instanceof Error ? cause.message : cause}`);
		this.name = 'DatabaseUnreachableError';
	}
}

/** Hides the password of a connection URL for messages and logs. */
export function redactUrl(url: string): string {
	try {
		const parsed = new URL(url);
		if (parsed.password) parsed.password = '***';
		return parsed.toString();
	} catch {
		return '(invalid URL)';
	}
}

/**
 * The one connection factory: PostgreSQL through node-postgres when a URL is given,
 * PGlite (embedded Postgres) in a data directory or in memory otherwise.
 */
export async function createDb(target: DbTarget): Promise<DbHandle> {
	if ('url' in target) {
		const pool = await openPool(target.url);
		let readPool: pg.Pool | null = null;
		if (target.readUrl) {
			try {
				// Read-only sessions: a write sent here by mistake fails at once, on a copy of the
				// primary as on a real standby, instead of succeeding where nobody reads it.
				readPool = await openPool(target.readUrl, { isReadOnly: true });
			} catch (error) {
				await pool.end().catch(() => {});
				throw error;
			}
		}
		const db = drizzlePg(pool, { schema }) as unknown as Db;
		const exclusive = <T>(run: () => Promise<T>) => withAdvisoryLock(pool, STARTUP_LOCK_KEY, run);
		return {
			db,
			readDb: readPool ? (drizzlePg(readPool, { schema }) as unknown as Db) : db,
			hasReadReplica: readPool !== null,
			kind: 'postgres',
			migrate: () =>
				exclusive(async () => {
					await migratePg(drizzlePg(pool, { schema }), { migrationsFolder: MIGRATIONS_FOLDER });
				}),
			exclusive,
			listen: (channel, onNotify) => listenPostgres(target.url, channel, onNotify),
			close: async () => {
				await readPool?.end();
				await pool.end();
			}
		};
	}
	let dataDir: string | undefined;
	if ('dataDir' in target) {
		dataDir = resolve(target.dataDir);
		mkdirSync(dataDir, { recursive: true });
	}
	const loadDataDir = 'loadDataDir' in target ? target.loadDataDir : undefined;
	const client = await PGlite.create({ dataDir, loadDataDir, extensions: { unaccent, pg_trgm } });
	const db = drizzlePglite(client, { schema }) as unknown as Db;
	return {
		db,
		readDb: db,
		hasReadReplica: false,
		kind: 'pglite',
		exclusive: (run) => run(),
		migrate: async () => {
			await migratePglite(drizzlePglite(client, { schema }), { migrationsFolder: MIGRATIONS_FOLDER });
		},
		listen: async (channel, onNotify) => {
			const unlisten = await client.listen(channel, (payload) => onNotify(payload));
			return async () => {
				if (!client.closed) await unlisten();
			};
		},
		close: async () => {
			if (!client.closed) await client.close();
		}
	};
}

/** A pool that answered once (else DatabaseUnreachableError); read-only sessions when asked. */
async function openPool(
	url: string,
	{ isReadOnly = false }: { isReadOnly?: boolean } = {}
): Promise<pg.Pool> {
	const pool = new pg.Pool({
		connectionString: url,
		max: 10,
		connectionTimeoutMillis: 5000,
		...(isReadOnly ? { options: '-c default_transaction_read_only=on' } : {})
	});
	pool.on('error', () => {
		// An idle client lost its connection; the pool replaces it on next use.
	});
	try {
		const client = await pool.connect();
		client.release();
	} catch (error) {
		await pool.end().catch(() => {});
		throw new DatabaseUnreachableError(redactUrl(url), error);
	}
	return pool;
}

/**
 * Runs `run` holding a session advisory lock on one pooled connection, kept out of the pool
 * meanwhile (a session lock belongs to its connection). Waits while another process holds it.
 */
async function withAdvisoryLock<T>(pool: pg.Pool, key: number, run: () => Promise<T>): Promise<T> {
	const client = await pool.connect();
	try {
		await client.query('select pg_advisory_lock($1)', [key]);
		try {
			return await run();
		} finally {
			await client.query('select pg_advisory_unlock($1)', [key]);
		}
	} finally {
		client.release();
	}
}

/** How long to wait before opening a lost LISTEN connection again. */
const RELISTEN_DELAY_MS = 1000;

/** A connection of its own (a pooled one would be handed to queries), opened again when lost. */
async function listenPostgres(
	url: string,
	channel: string,
	onNotify: (payload: string | null) => void
): Promise<() => Promise<void>> {
	let client: pg.Client | null = null;
	let isStopped = false;
	let retry: ReturnType<typeof setTimeout> | undefined;
	const connect = async (isReconnect: boolean): Promise<void> => {
		const next = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
		next.on('notification', (message) => {
			if (message.channel === channel) onNotify(message.payload ?? '');
		});
		next.on('error', () => {
			if (client !== next) return;
			client = null;
			next.end().catch(() => {});
			if (!isStopped) retry = setTimeout(() => void reconnect(), RELISTEN_DELAY_MS);
		});
		await next.connect();
		await next.query(`LISTEN "${channel.replaceAll('"', '""')}"`);
		client = next;
		if (isReconnect) onNotify(null);
	};
	const reconnect = async () => {
		try {
			await connect(true);
		} catch {
			if (!isStopped) retry = setTimeout(() => void reconnect(), RELISTEN_DELAY_MS);
		}
	};
	try {
		await connect(false);
	} catch (error) {
		throw new DatabaseUnreachableError(redactUrl(url), error);
	}
	return async () => {
		isStopped = true;
		clearTimeout(retry);
		const current = client;
		client = null;
		await current?.end().catch(() => {});
	};
}

/** Where PGlite keeps its files inside SOHO_DATA_DIR. */
export function pgliteDir(dataDir: string): string {
	return join(resolve(dataDir), 'pglite');
}

/** True when the database answers a trivial query (used by /readyz). */
export async function pingDb(db: Db): Promise<boolean> {
	try {
		await db.execute(sql`select 1`);
		return true;
	} catch {
		return false;
	}
}

export { schema };
