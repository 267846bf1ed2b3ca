import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';

/** The real `soho` command in a child process; each run opens PGlite (~2 s), so the tests are few. */
const dataDir = mkdtempSync(join(tmpdir(), 'soho-cli-territory-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function soho(...args: string[]) {
	const result = spawnSync(process.execPath, ['bin/soho.js', ...args], {
		encoding: 'utf8',
		env: { ...process.env, SOHO_DATA_DIR: dataDir, SOHO_LANG: 'en', DATABASE_URL: '', NODE_ENV: 'test' },
		timeout: 60_000
	});
	const stderrLines = result.stderr.split('\n').filter(Boolean);
	return { code: result.status, stdout: result.stdout, stderr: result.stderr, stderrLines };
}

test('an unknown département fails with one line naming it and exit code 1', () => {
	const result = soho('territory', 'init', '--departement', '99');
	expect(result.code).toBe(1);
	expect(result.stderrLines).toEqual([expect.stringMatching(/Unknown département: 99\b/)]);
	expect(result.stdout).toBe('');
});

test('a second territory init says that nothing changed', () => {
	const first = soho('territory', 'init', '--departement', '32');
	expect(first.code).toBe(0);
	expect(first.stdout).toMatch(/Communes: 458 created/);
	const second = soho('territory', 'init', '--departement', '32');
	expect(second.code).toBe(0);
	expect(second.stdout).toMatch(/nothing changed \(458 communes/);
});

test('a malformed file and a GeoJSON without INSEE codes fail with one line and exit code 1', () => {
	const malformed = join(dataDir, 'malformed.geojson');
	writeFileSync(malformed, '{"type": "FeatureCollection", "features": [');
	const bad = soho('geo', 'import', malformed);
	expect(bad.code).toBe(1);
	expect(bad.stderrLines).toEqual([expect.stringMatching(/malformed\.geojson is not valid JSON/)]);

	const noInsee = join(dataDir, 'departements.geojson');
	const ring = [
		[0, 43],
		[1, 43],
		[1, 44],
		[0, 43]
	];
	writeFileSync(
		noInsee,
		JSON.stringify({
			type: 'FeatureCollection',
			features: [
				{ type: 'Feature', properties: { nom: 'Gers' }, geometry: { type: 'Polygon', coordinates: [ring] } }
			]
		})
	);
	const missing = soho('geo', 'import', noInsee, '--json');
	expect(missing.code).toBe(1);
	expect(missing.stderrLines).toEqual([expect.stringMatching(/feature #1 has no INSEE commune code/)]);
	expect(missing.stdout).toBe('');
});
