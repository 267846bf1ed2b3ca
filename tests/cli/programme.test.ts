import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createEmptyPostgresDatabase, TEST_DB_KINDS } from '../../src/lib/server/db/db.test-utils.ts';

/**
 * `soho programme create|list|show|set` in a child process, then `soho import cases` into the
 * new programme: an empty database, no demo anywhere. On PGlite, and on PostgreSQL when
 * TEST_DATABASE_URL is set (a database of its own, dropped afterwards).
 */
for (const kind of TEST_DB_KINDS) {
	describe(`soho programme [${kind}]`, () => {
		const dataDir = mkdtempSync(join(tmpdir(), 'soho-cli-programme-'));
		let databaseUrl = '';
		let dropDatabase = async () => {};

		beforeAll(async () => {
			if (kind !== 'postgres') return;
			({ url: databaseUrl, drop: dropDatabase } = await createEmptyPostgresDatabase('soho_cli'));
		});
		afterAll(async () => {
			rmSync(dataDir, { recursive: true, force: true });
			await dropDatabase();
		});

		function soho(...args: string[]) {
			const result = spawnSync(process.execPath, ['bin/soho.js', ...args], {
				encoding: 'utf8',
				env: {
					...process.env,
					SOHO_DATA_DIR: dataDir,
					SOHO_LANG: 'en',
					DATABASE_URL: databaseUrl,
					NODE_ENV: 'test'
				},
				timeout: 90_000
			});
			return { code: result.status, stdout: result.stdout, stderr: result.stderr };
		}

		test('on an empty database, commands that need a programme say which command creates one', () => {
			const list = soho('programme', 'list', '--json');
			expect(list.code).toBe(0);
			expect(JSON.parse(list.stdout)).toEqual([]);
			const file = join(dataDir, 'empty.csv');
			writeFileSync(file, 'Nom;Étape\nMartin;contact\n');
			const imported = soho('import', 'cases', file);
			expect(imported.code).toBe(1);
			expect(imported.stderr).toContain('soho programme create --slug');
			expect(imported.stderr).not.toContain('seed-demo');
			const user = soho(
				'user',
				'create',
				'--email',
				'a@b.example',
				'--name',
				'A',
				'--role',
				'admin',
				'--programme',
				'gers'
			);
			expect(user.code).toBe(1);
			expect(user.stderr).toContain('Programme not found.');
			expect(user.stderr).toContain('soho programme create');
		}, 180_000);

		test('create imports the territory; list, show and set answer in JSON', () => {
			const created = soho(
				'programme',
				'create',
				'--slug',
				'soho-solo',
				'--name',
				'SOHO Solo Gers',
				'--departement',
				'32',
				'--metropole',
				'31555',
				'--short-name',
				'SOHO Solo',
				'--language',
				'fr',
				'--language',
				'en',
				'--contact-email',
				'contact@soho.example',
				'--json'
			);
			expect(created.code, created.stderr).toBe(0);
			const result = JSON.parse(created.stdout);
			expect(result.programme).toMatchObject({
				slug: 'soho-solo',
				name: 'SOHO Solo Gers',
				shortName: 'SOHO Solo',
				contactEmail: 'contact@soho.example',
				departements: ['32'],
				metropoleCode: '31555',
				languages: ['fr', 'en'],
				isDemo: false
			});
			expect(result.territory.communes.created).toBe(458);

			const list = JSON.parse(soho('programme', 'list', '--json').stdout);
			expect(list.map((p: { slug: string }) => p.slug)).toEqual(['soho-solo']);

			const shown = soho('programme', 'show', 'soho-solo');
			expect(shown.code).toBe(0);
			expect(shown.stdout).toContain('Metropole: Toulouse (31555)');
			expect(shown.stdout).toContain('32 Gers: 458 communes, 458 with an outline');
			expect(shown.stdout).toContain('soho programme set soho-solo metropole-position LAT,LON');

			const set = soho('programme', 'set', 'soho-solo', 'metropole-position', '43.6045,1.4442', '--json');
			expect(set.code, set.stderr).toBe(0);
			expect(JSON.parse(set.stdout).programme.metropolePosition).toEqual({ lat: 43.6045, lon: 1.4442 });
			expect(soho('programme', 'set', 'soho-solo', 'short-name', 'Solo').code).toBe(0);
			const after = JSON.parse(soho('programme', 'show', 'soho-solo', '--json').stdout);
			expect(after.programme).toMatchObject({ shortName: 'Solo' });
			expect(after.missing).toEqual([]);
		}, 180_000);

		test('bad input: one clear line naming the field, exit 1, nothing written', () => {
			const taken = soho(
				'programme',
				'create',
				'--slug',
				'soho-solo',
				'--name',
				'Another one',
				'--departement',
				'46',
				'--metropole',
				'31555'
			);
			expect(taken.code).toBe(1);
			expect(taken.stderr).toContain('Identifier (slug): already used by another programme.');
			const departement = soho(
				'programme',
				'create',
				'--slug',
				'other',
				'--name',
				'Other',
				'--departement',
				'32',
				'--departement',
				'99',
				'--metropole',
				'31555'
			);
			expect(departement.code).toBe(1);
			expect(departement.stderr).toContain('Unknown département: 99.');
			const metropole = soho(
				'programme',
				'create',
				'--slug',
				'other',
				'--name',
				'Other',
				'--departement',
				'32',
				'--metropole',
				'99999'
			);
			expect(metropole.code).toBe(1);
			expect(metropole.stderr).toContain('Metropole: 99999 is not a current French commune');
			const email = soho('programme', 'set', 'soho-solo', 'contact-email', 'not-an-address');
			expect(email.code).toBe(1);
			expect(email.stderr).toContain('Contact address: not a valid email address.');
			const key = soho('programme', 'set', 'soho-solo', 'colour', 'green');
			expect(key.code).toBe(2);
			expect(key.stderr).toContain('Unknown key "colour"');
			const list = JSON.parse(soho('programme', 'list', '--json').stdout);
			expect(list).toHaveLength(1);
			expect(list[0]).toMatchObject({
				slug: 'soho-solo',
				departements: ['32'],
				contactEmail: 'contact@soho.example'
			});
		}, 180_000);

		test('host names: add, make primary, list, remove; a bad one is refused naming the field', () => {
			const added = soho('programme', 'host', 'add', 'soho-solo', 'Gers.Example.org', '--json');
			expect(added.code, added.stderr).toBe(0);
			expect(JSON.parse(added.stdout).hosts).toEqual([{ host: 'gers.example.org', isPrimary: true }]);
			expect(soho('programme', 'set', 'soho-solo', 'primary-host', 'www.gers.example.org').code).toBe(0);
			expect(soho('programme', 'set', 'soho-solo', 'host', 'gers.localhost').code).toBe(0);
			const listed = soho('programme', 'host', 'list', 'soho-solo');
			expect(listed.stdout).toContain('www.gers.example.org (primary)');
			expect(listed.stdout).toContain('  gers.example.org\n');
			const bad = soho('programme', 'host', 'add', 'soho-solo', 'https://gers.example.org/');
			expect(bad.code).toBe(1);
			expect(bad.stderr).toContain('Host name: write a name such as gers.example.org');
			const unknown = soho('programme', 'host', 'remove', 'soho-solo', 'nowhere.example');
			expect(unknown.code).toBe(1);
			expect(unknown.stderr).toContain('Host name: the programme has no such host.');
			expect(soho('programme', 'host', 'remove', 'soho-solo', 'www.gers.example.org').code).toBe(0);
			const after = JSON.parse(soho('programme', 'host', 'list', 'soho-solo', '--json').stdout);
			expect(after.hosts).toEqual([
				{ host: 'gers.example.org', isPrimary: true },
				{ host: 'gers.localhost', isPrimary: false }
			]);
		}, 180_000);

		test('comparison on|off and yearly budgets: set, listed, bad input named', () => {
			const on = soho('programme', 'set', 'soho-solo', 'comparison', 'on', '--json');
			expect(on.code, on.stderr).toBe(0);
			expect(JSON.parse(on.stdout)).toMatchObject({ slug: 'soho-solo', isInComparison: true });
			const set = soho(
				'programme',
				'budget',
				'set',
				'soho-solo',
				'--year',
				'2025',
				'--amount',
				'250000',
				'--json'
			);
			expect(set.code, set.stderr).toBe(0);
			expect(JSON.parse(set.stdout)).toMatchObject({ year: 2025, amountCents: 25_000_000, amount: 250000 });
			const listed = soho('programme', 'budget', 'list', 'soho-solo');
			expect(listed.code, listed.stderr).toBe(0);
			expect(listed.stdout).toContain('Programme soho-solo: takes part in the comparison of programmes.');
			expect(listed.stdout).toMatch(/2025\s+250000\.00 €/);
			const bad = soho('programme', 'budget', 'set', 'soho-solo', '--year', '2025', '--amount', 'lots');
			expect(bad.code).toBe(1);
			expect(bad.stderr).toContain('Budget amount: an amount in euros');
			const badSwitch = soho('programme', 'set', 'soho-solo', 'comparison', 'maybe');
			expect(badSwitch.code).toBe(1);
			expect(badSwitch.stderr).toContain('Comparison: "on" or "off".');
			const off = soho('programme', 'set', 'soho-solo', 'comparison', 'off', '--json');
			expect(JSON.parse(off.stdout)).toMatchObject({ isInComparison: false, inComparisonSince: null });
		}, 180_000);

		test('national on|off: the programme joins and leaves the national portal, bad input named', () => {
			const on = soho('programme', 'set', 'soho-solo', 'national', 'on', '--json');
			expect(on.code, on.stderr).toBe(0);
			expect(JSON.parse(on.stdout)).toEqual({ slug: 'soho-solo', isInNationalPortal: true });
			const badSwitch = soho('programme', 'set', 'soho-solo', 'national', 'maybe');
			expect(badSwitch.code).toBe(1);
			expect(badSwitch.stderr).toContain('National portal: "on" or "off".');
			const off = soho('programme', 'set', 'soho-solo', 'national', 'off', '--json');
			expect(JSON.parse(off.stdout)).toEqual({ slug: 'soho-solo', isInNationalPortal: false });
		}, 180_000);

		test('soho import cases imports into the programme just created, with no demo anywhere', () => {
			const file = join(dataDir, 'cases.csv');
			writeFileSync(
				file,
				[
					'Nom;Prénom;Étape;Date de contact;Commune d’installation (code INSEE);Date d’installation;Identifiant',
					'Garnier;Hélène;installé;2024-01-02;32013;2024-05-01;A1',
					'Durand;Paul;contact;29/02/2024;;;A2'
				].join('\r\n')
			);
			const imported = soho('import', 'cases', file, '--json');
			expect(imported.code, imported.stderr).toBe(0);
			expect(JSON.parse(imported.stdout)).toMatchObject({ status: 'imported', summary: { created: 2 } });
			const list = JSON.parse(soho('programme', 'list', '--json').stdout);
			expect(list.map((p: { isDemo: boolean }) => p.isDemo)).toEqual([false]);
		}, 180_000);
	});
}
