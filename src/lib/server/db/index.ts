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

export type DbTarget = { url: string } | { dataDir: string } | { memory: true };

export type DbHandle = {
	db: Db;
	kind: 'pglite' | 'postgres';
	/** Applies the committed SQL migrations that are not applied yet. */
	migrate: () => Promise<void>;
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
		const pool = new pg.Pool({ connectionString: target.url, max: 10, connectionTimeoutMillis: 5000 });
		pool.on('error', () => {
			// An idle client lost its connection; the pool replaces it on next use.
		});
		try {
			const client = await pool.connect();
			client.release();
		} catch (error) {
			await pool.end().catch(() => {});
			throw new DatabaseUnreachableError(redactUrl(target.url), error);
		}
		const db = drizzlePg(pool, { schema }) as unknown as Db;
		return {
			db,
			kind: 'postgres',
			migrate: async () => {
				await migratePg(drizzlePg(pool, { schema }), { migrationsFolder: MIGRATIONS_FOLDER });
			},
			listen: (channel, onNotify) => listenPostgres(target.url, channel, onNotify),
			close: async () => {
				await pool.end();
			}
		};
	}
	let dataDir: string | undefined;
	if ('dataDir' in target) {
		dataDir = resolve(target.dataDir);
		mkdirSync(dataDir, { recursive: true });
	}
	const client = await PGlite.create({ dataDir, extensions: { unaccent, pg_trgm } });
	const db = drizzlePglite(client, { schema }) as unknown as Db;
	return {
		db,
		kind: 'pglite',
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
