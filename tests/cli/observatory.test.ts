import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createDb, pgliteDir } from '../../src/lib/server/db/index.ts';
import { observatorySectionNames } from '../../src/lib/server/domain/observatory/observatory-report.service.ts';
import { seedObservatoryProgramme } from '../../src/lib/server/domain/observatory/observatory.test-utils.ts';

/** `soho observatory` in a child process, on a PGlite data directory holding a small programme. */
const dataDir = mkdtempSync(join(tmpdir(), 'soho-cli-observatory-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

beforeAll(async () => {
	const handle = await createDb({ dataDir: pgliteDir(dataDir) });
	await handle.migrate();
	await seedObservatoryProgramme(handle.db, [
		{ contact: '2023-03-01', installedOn: '2023-09-01', commune: '32013', partners: 1 },
		{
			contact: '2024-01-10',
			stages: { qualified: '2024-01-20' },
			installedOn: '2024-06-01',
			commune: '32107'
		},
		{ contact: '2025-02-01', stages: { abandoned: '2025-03-01' }, abandonedReason: 'Pas de logement' }
	]);
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

test('--json prints every registered section of the programme for the period, as the API does', () => {
	const result = soho('observatory', '--programme', 'gers', '--from', '2023', '--to', '2024', '--json');
	expect(result.stderr).toBe('');
	expect(result.code).toBe(0);
	const out = JSON.parse(result.stdout);
	expect(out.programme).toEqual({ slug: 'gers', name: 'Programme gers', synthetic: false });
	expect(out.period).toEqual({ from: 2023, to: 2024 });
	expect(Object.keys(out.sections)).toEqual(observatorySectionNames());
	expect(out.sections.flows.years.map((y: { installations: number }) => y.installations)).toEqual([1, 1]);
}, 180_000);

test('one section, a readable summary, and clear failures for an unknown section or a bad year', () => {
	const one = soho('observatory', '--programme', 'gers', '--section', 'funnel', '--json');
	expect(one.code).toBe(0);
	expect(Object.keys(JSON.parse(one.stdout).sections)).toEqual(['funnel']);

	const human = soho('observatory', '--programme', 'gers', '--to', '2025');
	expect(human.code).toBe(0);
	expect(human.stdout).toMatch(/^Observatory of Programme gers — 2023–2025/);
	expect(human.stdout).toContain('Section flows');

	const unknown = soho('observatory', '--programme', 'gers', '--section', 'horoscope');
	expect(unknown.code).toBe(2);
	expect(unknown.stderr).toMatch(/Unknown section: horoscope\. Sections: flows, funnel, profiles/);

	const bad = soho('observatory', '--programme', 'gers', '--from', '20x3');
	expect(bad.code).toBe(1);
	expect(bad.stderr).toContain('from: ');
	expect(bad.stdout).toBe('');
}, 180_000);
