/**
 * The databases a benchmark runs on: PGlite in memory always, and PostgreSQL when
 * BENCH_DATABASE_URL (or TEST_DATABASE_URL) names a server, where a scratch database is
 * created for the run and dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDb, type DbHandle } from '#server/db/index.ts';

export type DatabaseName = 'PGlite' | 'PostgreSQL';

export type BenchDatabase = {
	name: DatabaseName;
	open: () => Promise<{ handle: DbHandle; dispose: () => Promise<void> }>;
};

/** The PostgreSQL server the benchmarks may use, or undefined (PGlite only). */
export function benchPostgresUrl(): string | undefined {
	return process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || undefined;
}

async function onServer(url: string, statement: string): Promise<void> {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		await client.query(statement);
	} finally {
		await client.end();
	}
}

/**
 * A new, empty database `name` on the server of `url` (dropped first if a previous run left it):
 * its URL, and `drop` to remove it. Other databases of the server (the tests' `test`) are untouched.
 */
export async function scratchPostgresDatabase(
	url: string,
	name: string
): Promise<{ url: string; drop: () => Promise<void> }> {
	if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
	await onServer(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
	await onServer(url, `CREATE DATABASE ${name}`);
	const target = new URL(url);
	target.pathname = `/${name}`;
	return {
		url: target.toString(),
		drop: () => onServer(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
	};
}

/**
 * The databases a benchmark runs on. BENCH_DATABASES (a comma-separated list of PGlite,
 * PostgreSQL) keeps only some of them, to iterate on one database.
 */
export function benchDatabases(subject: string): BenchDatabase[] {
	const only = process.env.BENCH_DATABASES?.split(',').map((name) => name.trim().toLowerCase());
	const wanted = (list: BenchDatabase[]) =>
		only ? list.filter((database) => only.includes(database.name.toLowerCase())) : list;
	const list: BenchDatabase[] = [
		{
			name: 'PGlite',
			open: async () => {
				const handle = await createDb({ memory: true });
				await handle.migrate();
				return { handle, dispose: () => handle.close() };
			}
		}
	];
	const url = benchPostgresUrl();
	if (!url) {
		console.log(`${subject}: PostgreSQL skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL to include it)`);
		return wanted(list);
	}
	list.push({
		name: 'PostgreSQL',
		open: async () => {
			const scratch = await scratchPostgresDatabase(url, `soho_bench_${randomBytes(4).toString('hex')}`);
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
	});
	return wanted(list);
}
