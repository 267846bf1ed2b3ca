/**
 * The databases a benchmark runs on: PGlite in memory always, and PostgreSQL when
 * BENCH_DATABASE_URL (or TEST_DATABASE_URL) names a server, where a scratch database is
 * created for the run and dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDb, type DbHandle } from '#server/db/index.ts';

export type BenchDatabase = {
	name: 'PGlite' | 'PostgreSQL';
	open: () => Promise<{ handle: DbHandle; dispose: () => Promise<void> }>;
};

export function benchDatabases(subject: string): BenchDatabase[] {
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
	const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
	if (!url) {
		console.log(`${subject}: PostgreSQL skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL to include it)`);
		return list;
	}
	list.push({
		name: 'PostgreSQL',
		open: async () => {
			const name = `soho_bench_${randomBytes(4).toString('hex')}`;
			const admin = new pg.Client({ connectionString: url });
			await admin.connect();
			await admin.query(`CREATE DATABASE ${name}`);
			await admin.end();
			const target = new URL(url);
			target.pathname = `/${name}`;
			const handle = await createDb({ url: target.toString() });
			await handle.migrate();
			return {
				handle,
				dispose: async () => {
					await handle.close();
					const cleaner = new pg.Client({ connectionString: url });
					await cleaner.connect();
					await cleaner.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
					await cleaner.end();
				}
			};
		}
	});
	return list;
}
