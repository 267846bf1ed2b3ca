import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { parseConfig } from '../../src/lib/server/config.ts';
import { createDb, pgliteDir } from '../../src/lib/server/db/index.ts';
import { submitApplication } from '../../src/lib/server/domain/case/case-intake.service.ts';
import { createProgramme } from '../../src/lib/server/domain/programme/programme.service.ts';

/** `soho privacy export | erase | retention` in a child process, on a PGlite data directory prepared here. */
const dataDir = mkdtempSync(join(tmpdir(), 'soho-cli-privacy-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
let personId = '';

beforeAll(async () => {
	const handle = await createDb({ dataDir: pgliteDir(dataDir) });
	await handle.migrate();
	const { programme } = await createProgramme(
		{ input: { slug: 'gers', name: 'Gers', departements: ['32'] } },
		{ db: handle.db }
	);
	const { persons } = await submitApplication(
		{
			programmeId: programme.id,
			locale: 'fr',
			input: {
				firstName: 'Zéphyrine',
				lastName: 'Quintavalle',
				email: 'zephyrine@example.org',
				phone: '06 98 76 54 32',
				adultsCount: '1',
				timeline: 'within_6_months',
				wouldMoveWithoutProgramme: 'unsure',
				consentContact: 'on',
				consentResearch: 'on'
			}
		},
		{ db: handle.db, config: parseConfig({ NODE_ENV: 'test' }) }
	);
	personId = persons[0].id;
	await handle.close();
}, 60_000);

function soho(...args: string[]) {
	const result = spawnSync(process.execPath, ['bin/soho.js', ...args], {
		encoding: 'utf8',
		env: { ...process.env, SOHO_DATA_DIR: dataDir, SOHO_LANG: 'en', DATABASE_URL: '', NODE_ENV: 'test' },
		timeout: 90_000
	});
	return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('an operator exports a person as JSON, counts the retention rules, erases the person', () => {
	const exported = soho('privacy', 'export', '--person', personId, '--json');
	expect(exported.code, exported.stderr).toBe(0);
	const data = JSON.parse(exported.stdout);
	expect(data.tables.persons[0].lastName).toBe('Quintavalle');
	expect(data.tables.consents.map((c: { purpose: string }) => c.purpose).sort()).toEqual([
		'contact',
		'research'
	]);

	const dryRun = soho('privacy', 'retention', '--dry-run', '--json');
	expect(dryRun.code, dryRun.stderr).toBe(0);
	expect(JSON.parse(dryRun.stdout)).toMatchObject({ isDryRun: true, counts: { inactive_leads: 0 } });

	const refused = soho('privacy', 'erase', '--person', personId, '--reason', '');
	expect(refused.code).not.toBe(0);
	const erased = soho('privacy', 'erase', '--person', personId, '--reason', 'written request');
	expect(erased.code, erased.stderr).toBe(0);
	expect(erased.stdout).toContain('anonymised');

	const after = JSON.parse(soho('privacy', 'export', '--person', personId, '--json').stdout);
	expect(JSON.stringify(after)).not.toContain('Quintavalle');
	expect(JSON.stringify(after)).not.toContain('zephyrine@example.org');
}, 300_000);
