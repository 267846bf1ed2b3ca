/**
 * The rows of issue 14's table as the benchmarks measure them: each section returns its rows,
 * and `npm run bench` prints them at the end as one Markdown table (row, database, measured,
 * target, verdict), ready to paste into bench/RESULTS.md.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';

/**
 * PASS / OVER against the target; `info` where the issue sets no target for that database (the
 * observatory's 2 s is for PostgreSQL); `skipped` when the row could not be measured here.
 */
export type Verdict = 'PASS' | 'OVER' | 'info' | 'skipped';

export type ResultRow = {
	row: string;
	/** PGlite, PostgreSQL, or `build` for what does not depend on the database (shipped JavaScript). */
	database: string;
	measured: string;
	target: string;
	verdict: Verdict;
};

export const verdictOf = (isMet: boolean): Verdict => (isMet ? 'PASS' : 'OVER');

export function skippedRow(row: string, database: string, target: string, reason: string): ResultRow {
	return { row, database, measured: `skipped: ${reason}`, target, verdict: 'skipped' };
}

/** Thousands separators, no decimals: 3102 → "3,102". */
export const whole = (value: number) => Math.round(value).toLocaleString('en');

export function loadAverage(): string {
	return loadavg()
		.map((value) => value.toFixed(2))
		.join(', ');
}

export function markdownTable(rows: ResultRow[]): string {
	const cells = (values: string[]) => `| ${values.map((v) => v.replaceAll('|', '\\|')).join(' | ')} |`;
	return [
		cells(['row', 'database', 'measured', 'target', 'verdict']),
		cells(['---', '---', '---', '---', '---']),
		...rows.map((r) => cells([r.row, r.database, r.measured, r.target, r.verdict]))
	].join('\n');
}

function pgliteVersion(): string {
	const manifest = JSON.parse(readFileSync('node_modules/@electric-sql/pglite/package.json', 'utf8')) as {
		version: string;
	};
	return manifest.version;
}

async function serverVersion(query: (sql: string) => Promise<string>): Promise<string> {
	try {
		return await query('show server_version');
	} catch (error) {
		return `unknown (${(error as Error).message})`;
	}
}

/** The machine, the runtimes and the databases the figures were measured on. */
export async function describeMachine(postgresUrl: string | undefined): Promise<string[]> {
	const embedded = new PGlite();
	const pgliteServer = await serverVersion(async (sql) => {
		const { rows } = await embedded.query<{ server_version: string }>(sql);
		return rows[0].server_version;
	});
	await embedded.close();
	let postgres = 'not measured (set BENCH_DATABASE_URL)';
	if (postgresUrl) {
		const client = new pg.Client({ connectionString: postgresUrl });
		postgres = await serverVersion(async (sql) => {
			await client.connect();
			const { rows } = await client.query<{ server_version: string }>(sql);
			return rows[0].server_version;
		});
		await client.end().catch(() => {});
	}
	let commit = 'unknown';
	try {
		commit = execFileSync('git', ['log', '-1', '--format=%h %s'], { encoding: 'utf8' }).trim();
	} catch {
		// not a git checkout
	}
	return [
		`machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown model'}), ${(totalmem() / 1024 ** 3).toFixed(1)} GB RAM`,
		`Node ${process.version}; PostgreSQL ${postgres}; PGlite ${pgliteVersion()} (PostgreSQL ${pgliteServer})`,
		`code: ${commit}`
	];
}
