import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createEmptyPostgresDatabase, TEST_DB_KINDS } from '../../src/lib/server/db/db.test-utils.ts';

/**
 * `soho demo generate` in a child process, at a tiny scale: the counts it prints as JSON, the
 * refusal of a second run, `--reset`, and errors naming the option as typed. On PGlite, and on
 * PostgreSQL when TEST_DATABASE_URL is set (a database of its own, dropped afterwards).
 */
for (const kind of TEST_DB_KINDS) {
	describe(`soho demo generate [${kind}]`, () => {
		const dataDir = mkdtempSync(join(tmpdir(), 'soho-cli-demo-'));
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

		function soho(lang: 'en' | 'fr', ...args: string[]) {
			const result = spawnSync(process.execPath, ['bin/soho.js', ...args], {
				encoding: 'utf8',
				env: {
					...process.env,
					SOHO_DATA_DIR: dataDir,
					SOHO_LANG: lang,
					DATABASE_URL: databaseUrl,
					NODE_ENV: 'test'
				},
				timeout: 170_000
			});
			return { code: result.status, stdout: result.stdout, stderr: result.stderr };
		}
		const TINY = [
			'--programmes',
			'2',
			'--persons',
			'50',
			'--cases',
			'20',
			'--entries',
			'300',
			'--departement',
			'32,46'
		];

		test('a tiny nation is generated, a second run refused, --reset replaces it', () => {
			const first = soho('en', '--json', 'demo', 'generate', ...TINY);
			expect(first.stderr).toContain('Cases: 20/20, history entries: 300');
			expect(first.code).toBe(0);
			expect(JSON.parse(first.stdout)).toMatchObject({
				programmes: 2,
				departements: 2,
				cases: 20,
				persons: 50,
				villages: 24
			});
			const again = soho('fr', 'demo', 'generate', ...TINY);
			expect(again.code).toBe(1);
			expect(again.stderr).toContain('relancez avec --reset');
			const reset = soho('fr', 'demo', 'generate', ...TINY, '--reset');
			expect(reset.code).toBe(0);
			expect(reset.stdout).toContain('Dossiers : 20, personnes : 50');
			expect(reset.stdout).toContain('données sont synthétiques');
		}, 400_000);

		test('bad options are refused naming the option, in the shell’s language', () => {
			const persons = soho('en', 'demo', 'generate', ...TINY.slice(0, 2), '--persons', '10', '--cases', '20');
			expect(persons.code).toBe(1);
			expect(persons.stderr).toContain('--persons: Number of persons: at least one person per case.');
			const cases = soho('fr', 'demo', 'generate', '--cases', 'beaucoup');
			expect(cases.code).toBe(1);
			expect(cases.stderr).toContain('--cases: Nombre de dossiers : un nombre entier');
			const scale = soho('en', 'demo', 'generate', '--scale', 'galactic');
			expect(scale.code).toBe(1);
			expect(scale.stderr).toContain('--scale: Unknown scale: national or small.');
		}, 180_000);
	});
}
