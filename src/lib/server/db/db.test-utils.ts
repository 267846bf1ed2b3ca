import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe } from 'vitest';
import { createDb, type Db, type DbHandle } from './index.ts';

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
 * Creates an isolated, migrated database: a PGlite in memory, or a fresh PostgreSQL
 * database named after this run (dropped by `dispose`).
 */
export async function createTestDb(
	kind: 'pglite' | 'postgres'
): Promise<{ handle: DbHandle; dispose: () => Promise<void> }> {
	if (kind === 'pglite') {
		const handle = await createDb({ memory: true });
		await handle.migrate();
		return { handle, dispose: () => handle.close() };
	}
	const scratch = await createEmptyPostgresDatabase('soho_test');
	const handle = await createDb({ url: scratch.url });
	await handle.migrate();
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
	prefix: string
): Promise<{ url: string; drop: () => Promise<void> }> {
	if (!TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set');
	const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
	const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
	await admin.connect();
	await admin.query(`CREATE DATABASE ${name}`);
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
