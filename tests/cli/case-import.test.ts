import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createDb, pgliteDir } from '../../src/lib/server/db/index.ts';
import { createProgramme } from '../../src/lib/server/domain/programme/programme.service.ts';
import { insertTestCommunes } from '../../src/lib/server/testing/factories.ts';

/** `soho import cases` and `soho export cases` in a child process, on a PGlite data directory prepared here. */
const dataDir = mkdtempSync(join(tmpdir(), 'soho-cli-import-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

beforeAll(async () => {
	const handle = await createDb({ dataDir: pgliteDir(dataDir) });
	await handle.migrate();
	await createProgramme({ input: { slug: 'gers', name: 'Gers', departements: ['32'] } }, { db: handle.db });
	await insertTestCommunes(handle.db, [{ code: '32013', name: 'Auch', departementCode: '32' }]);
	await handle.close();
}, 60_000);

function soho(...args: string[]) {
	const result = spawnSync(process.execPath, ['bin/soho.js', ...args], {
		encoding: 'utf8',
		env: { ...process.env, SOHO_DATA_DIR: dataDir, SOHO_LANG: 'en', DATABASE_URL: '', NODE_ENV: 'test' },
		timeout: 60_000
	});
	return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const header =
	'Nom;Prénom;Étape;Date de contact;Commune d’installation (code INSEE);Date d’installation;Identifiant';

test('a file with a bad row lists the row and its error, exits 1 and imports nothing; fixed, it imports', () => {
	const bad = join(dataDir, 'bad.csv');
	writeFileSync(
		bad,
		[
			header,
			'Garnier;Hélène;installé;2024-01-02;32013;2024-05-01;A1',
			'Durand;Paul;contact;30/02/2024;;;A2'
		].join('\r\n')
	);
	const refused = soho('import', 'cases', bad);
	expect(refused.code).toBe(1);
	expect(refused.stdout).toContain('row 3, Date de contact: Invalid date: write YYYY-MM-DD or DD/MM/YYYY.');
	expect(refused.stdout).toContain('2 rows: 1 valid, 1 in error');
	expect(refused.stderr).toContain('Nothing was imported');

	const good = join(dataDir, 'good.csv');
	writeFileSync(
		good,
		[
			header,
			'Garnier;Hélène;installé;2024-01-02;32013;2024-05-01;A1',
			'Durand;Paul;contact;29/02/2024;;;A2'
		].join('\r\n')
	);
	const dryRun = soho('import', 'cases', good, '--dry-run');
	expect(dryRun.code).toBe(0);
	expect(dryRun.stdout).toContain('Dry run: nothing was imported.');

	const imported = soho('import', 'cases', good, '--programme', 'gers', '--json');
	expect(imported.code).toBe(0);
	expect(JSON.parse(imported.stdout)).toMatchObject({
		status: 'imported',
		summary: { created: 2, stageChanges: 3 }
	});

	const again = soho('import', 'cases', good);
	expect(again.code).toBe(1);
	expect(again.stdout).toContain('row 2, Identifiant: Already imported');
}, 120_000);

test('a column is read as another field with --map, and the export writes a CSV for French Excel', () => {
	const file = join(dataDir, 'mapped.csv');
	writeFileSync(file, ['Family;Stage;Ref', 'Martin;contact;B1'].join('\n'));
	const unmapped = soho('import', 'cases', file, '--dry-run');
	expect(unmapped.code).toBe(1);
	expect(unmapped.stdout).toContain('columns: last_name — No column is read as this required field.');
	const mapped = soho('import', 'cases', file, '--map', 'Family=last_name', '--map', 'Ref=external_id');
	expect(mapped.code).toBe(0);

	const out = join(dataDir, 'export.csv');
	const exported = soho('export', 'cases', '--format', 'csv', '--out', out, '--stage', 'contact');
	expect(exported.code).toBe(0);
	expect(exported.stdout).toContain(`2 cases written to ${out}.`);
	const bytes = readFileSync(out);
	expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
	const lines = bytes.subarray(3).toString('utf8').split('\r\n');
	expect(lines[0].split(';').slice(0, 3)).toEqual(['external_id', 'first_name', 'last_name']);
	expect(lines.filter(Boolean)).toHaveLength(3);
	expect(soho('export', 'cases', '--format', 'pdf').code).toBe(2);
}, 120_000);
