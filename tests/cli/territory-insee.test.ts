import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';

/** `soho territory import-insee` in a child process, on a small INSEE-like table written here. */
const dataDir = mkdtempSync(join(tmpdir(), 'soho-cli-insee-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function soho(...args: string[]) {
	const result = spawnSync(process.execPath, ['bin/soho.js', ...args], {
		encoding: 'utf8',
		env: { ...process.env, SOHO_DATA_DIR: dataDir, SOHO_LANG: 'en', DATABASE_URL: '', NODE_ENV: 'test' },
		timeout: 60_000
	});
	return {
		code: result.status,
		stdout: result.stdout,
		stderrLines: result.stderr.split('\n').filter(Boolean)
	};
}

test('import-insee reads a table with lost leading zeros, prints what changed, and --json gives the counts', () => {
	const communes = join(dataDir, 'table-appartenance-geo-communes-22.csv');
	writeFileSync(
		communes,
		'CODGEO;LIBGEO;CV;AAV2020;CATEAAV2020\r\n1001;Ain;108;524;20\r\n32013;Auch;3299;145;11\r\n32160;Isle;3213;5;20\r\n'
	);
	const cantons = join(dataDir, 'cantons.csv');
	writeFileSync(cantons, 'code,name,capital_code\n3299,Auch,32013\n3213,L’Isle-Jourdain,32160\n');
	expect(soho('territory', 'init', '--departement', '32').code).toBe(0);

	const first = soho('territory', 'import-insee', '--communes', communes, '--cantons', cantons);
	expect(first.code).toBe(0);
	expect(first.stdout).toMatch(/2 imported communes described, 2 updated, 0 already current \(3 rows read\)/);
	expect(first.stdout).toMatch(
		/1 centre communes, 0 other pole communes, 0 secondary poles, 1 crown communes/
	);
	expect(first.stdout).toMatch(/1 row ignored/);
	expect(first.stdout).toMatch(/2 communes are the seat/);

	const again = soho('territory', 'import-insee', '--communes', communes, '--json');
	expect(again.code).toBe(0);
	expect(JSON.parse(again.stdout)).toMatchObject({
		matched: 2,
		updated: 0,
		unchanged: 2,
		unknown: 1,
		cantonSeats: null
	});

	const status = soho('territory', 'status');
	expect(status.stdout).toMatch(
		/INSEE attributes: 2 of 458 communes have an urban area category, 2 know whether/
	);
}, 240_000);

test('a table without the INSEE columns fails with one line naming them, before opening the database', () => {
	const wrong = join(dataDir, 'wrong.csv');
	writeFileSync(wrong, 'code;nom\n32013;Auch\n');
	const result = soho('territory', 'import-insee', '--communes', wrong);
	expect(result.code).toBe(1);
	expect(result.stderrLines).toEqual([
		expect.stringMatching(/wrong\.csv: expected columns missing \(CODGEO\)/)
	]);
	const missing = soho('territory', 'import-insee', '--communes', join(dataDir, 'absent.csv'));
	expect(missing.code).toBe(1);
	expect(missing.stderrLines).toEqual([expect.stringMatching(/absent\.csv/)]);
}, 120_000);
