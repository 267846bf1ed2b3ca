import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe } from 'vitest';
import { createDb, MIGRATIONS_FOLDER, type Db, type DbHandle } from './index.ts';

export type TestDbContext = {
	/** The database of the current suite, reset to empty tables before each test. */
	readonly db: Db;
	readonly handle: DbHandle;
	readonly kind: 'pglite' | 'postgres';
};

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;

/** Which databases the integration tests run on: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export const TEST_DB_KINDS: Array<'pglite' | 'postgres'> = TEST_DATABASE_URL
	? ['pglite', 'postgres']
	: ['pglite'];

/**
 * A fingerprint of the committed migrations (every file of the folder, journal included) and of the
 * installed PGlite: a migrated template made from other migrations, or by another PGlite, is never used.
 */
function migrationsKey(): string {
	const hash = createHash('sha256');
	const pglitePackage = join(
		MIGRATIONS_FOLDER,
		'../../../../../node_modules/@electric-sql/pglite/package.json'
	);
	if (existsSync(pglitePackage)) hash.update(readFileSync(pglitePackage));
	const visit = (dir: string) => {
		for (const name of readdirSync(dir).sort()) {
			const path = join(dir, name);
			if (statSync(path).isDirectory()) visit(path);
			else hash.update(relative(MIGRATIONS_FOLDER, path)).update('\0').update(readFileSync(path));
		}
	};
	visit(MIGRATIONS_FOLDER);
	return hash.digest('hex').slice(0, 16);
}

/**
 * The data directory of a migrated PGlite (PGlite's `dumpDataDir`), made once per set of migrations
 * and kept in the system's temporary folder: each test file starts its PGlite from it, which skips
 * creating the cluster and running every migration (about 5 s of CPU per file). Written beside its
 * place then renamed: a file that exists is complete; two workers making it at once keep either.
 */
async function migratedPgliteTemplate(): Promise<Blob> {
	const path = join(tmpdir(), `soho-test-pglite-${migrationsKey()}.tar`);
	if (existsSync(path)) return new Blob([readFileSync(path)]);
	const handle = await createDb({ memory: true });
	try {
		await handle.migrate();
		const dump = await (handle.db as unknown as { $client: PGlite }).$client.dumpDataDir('none');
		const building = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
		writeFileSync(building, Buffer.from(await dump.arrayBuffer()));
		renameSync(building, path);
		return dump;
	} finally {
		await handle.close();
	}
}

/** An arbitrary key for the advisory lock under which test runs make the PostgreSQL template. */
const TEMPLATE_LOCK_KEY = 0x736f6874;

/**
 * A PostgreSQL database holding every migration, made once per set of migrations on
 * TEST_DATABASE_URL's server and kept there (`soho_test_template_<key>`), so that each test file's
 * database is a copy (`CREATE DATABASE … TEMPLATE`) instead of a run of every migration. Made under
 * a new name then renamed, under an advisory lock: processes starting together make it once.
 */
async function migratedPostgresTemplate(): Promise<string> {
	if (!TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set');
	const name = `soho_test_template_${migrationsKey()}`;
	const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
	await admin.connect();
	try {
		await admin.query('select pg_advisory_lock($1)', [TEMPLATE_LOCK_KEY]);
		const found = await admin.query('select 1 from pg_database where datname = $1', [name]);
		if (found.rowCount === 0) {
			const building = `${name}_building`;
			await admin.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
			await admin.query(`CREATE DATABASE ${building}`);
			const url = new URL(TEST_DATABASE_URL);
			url.pathname = `/${building}`;
			const handle = await createDb({ url: url.toString() });
			try {
				await handle.migrate();
			} finally {
				await handle.close();
			}
			await admin.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
		}
	} finally {
		await admin.end();
	}
	return name;
}

/**
 * Makes the migrated templates the test databases start from (Vitest's global setup, before any
 * file starts: the first files would otherwise each make them side by side).
 */
export async function prepareTestDbTemplates(): Promise<void> {
	await migratedPgliteTemplate();
	if (TEST_DATABASE_URL) await migratedPostgresTemplate();
}

/**
 * Creates an isolated, migrated database: a PGlite in memory, or a fresh PostgreSQL
 * database named after this run (dropped by `dispose`). Both start from a migrated template
 * made once per set of migrations, so the result is the same as migrating, without the wait.
 */
export async function createTestDb(
	kind: 'pglite' | 'postgres'
): Promise<{ handle: DbHandle; dispose: () => Promise<void> }> {
	if (kind === 'pglite') {
		const handle = await createDb({ memory: true, loadDataDir: await migratedPgliteTemplate() });
		return { handle, dispose: () => handle.close() };
	}
	const scratch = await createEmptyPostgresDatabase('soho_test', {
		template: await migratedPostgresTemplate()
	});
	const handle = await createDb({ url: scratch.url });
	return {
		handle,
		dispose: async () => {
			await handle.close();
			await scratch.drop();
		}
	};
}

/**
 * A new empty PostgreSQL database on TEST_DATABASE_URL's server, for tests whose server or CLI
 * opens the database itself: its URL, and `drop` (which ends its remaining connections).
 */
export async function createEmptyPostgresDatabase(
	prefix: string,
	{ template }: { template?: string } = {}
): Promise<{ url: string; drop: () => Promise<void> }> {
	if (!TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set');
	const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
	const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
	await admin.connect();
	await admin.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
	await admin.end();
	const url = new URL(TEST_DATABASE_URL);
	url.pathname = `/${name}`;
	return {
		url: url.toString(),
		drop: async () => {
			const cleaner = new pg.Client({ connectionString: TEST_DATABASE_URL });
			await cleaner.connect();
			await cleaner.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
			await cleaner.end();
		}
	};
}

/** Empties every application table (not the migration journal). */
export async function truncateAll(db: Db): Promise<void> {
	const result = await db.execute<{ tablename: string }>(
		sql`select tablename from pg_tables where schemaname = 'public'`
	);
	const tables = (result as unknown as { rows: { tablename: string }[] }).rows.map((r) => r.tablename);
	if (tables.length === 0) return;
	await db.execute(sql.raw(`TRUNCATE ${tables.map((t) => `"${t}"`).join(', ')} CASCADE`));
}

/**
 * Runs the same suite on every test database. Each test starts from empty tables.
 *
 *   describeEachDb('territory', (ctx) => { test('…', async () => { await useCase({}, { db: ctx.db }) }) })
 */
export function describeEachDb(title: string, body: (ctx: TestDbContext) => void): void {
	for (const kind of TEST_DB_KINDS) {
		describe(`${title} [${kind}]`, () => {
			let current: { handle: DbHandle; dispose: () => Promise<void> } | undefined;
			const ctx: TestDbContext = {
				get db() {
					if (!current) throw new Error('test database not ready');
					return current.handle.db;
				},
				get handle() {
					if (!current) throw new Error('test database not ready');
					return current.handle;
				},
				kind
			};
			beforeAll(async () => {
				current = await createTestDb(kind);
			});
			afterAll(async () => {
				await current?.dispose();
			});
			beforeEach(async () => {
				await truncateAll(ctx.db);
			});
			body(ctx);
		});
	}
}

/**
 * A second process on the suite's database, for the tests of cross-process notifications:
 * another connection pool on the same PostgreSQL database; on PGlite (one process) the suite's
 * own handle. Call inside `describeEachDb`; the pool is closed after the suite.
 */
export function useSecondProcess(ctx: TestDbContext): () => DbHandle {
	let other: DbHandle | null = null;
	beforeAll(async () => {
		if (ctx.kind !== 'postgres') return;
		const result = await ctx.db.execute<{ name: string }>(sql`select current_database() as name`);
		const name = (result as unknown as { rows: { name: string }[] }).rows[0].name;
		const url = new URL(process.env.TEST_DATABASE_URL as string);
		url.pathname = `/${name}`;
		other = await createDb({ url: url.toString() });
	});
	afterAll(async () => {
		await other?.close();
	});
	return () => other ?? ctx.handle;
}
