import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';

/**
 * The operator's commands around the database (`soho db migrate|seed|backup|restore`, `soho config
 * check`, `soho jobs`) answer in the shell's language, French or English, successes and refusals
 * alike. On PGlite, in a child process (the backup and restore themselves are tested on both
 * databases in db/backup.service.test.ts).
 */
const dataDir = mkdtempSync(join(tmpdir(), 'soho-cli-db-'));
const backupDir = mkdtempSync(join(tmpdir(), 'soho-cli-db-backup-'));
afterAll(() => {
	rmSync(dataDir, { recursive: true, force: true });
	rmSync(backupDir, { recursive: true, force: true });
});

function soho(lang: 'en' | 'fr', ...args: string[]) {
	const result = spawnSync(process.execPath, ['bin/soho.js', ...args], {
		encoding: 'utf8',
		env: { ...process.env, SOHO_DATA_DIR: dataDir, SOHO_LANG: lang, DATABASE_URL: '', NODE_ENV: 'test' },
		timeout: 170_000
	});
	return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('migrate, seed, back up and restore speak French and English', () => {
	const migrated = soho('fr', 'db', 'migrate');
	expect(migrated.stderr).toBe('');
	expect(migrated.stdout).toContain('Migrations appliquées sur PGlite');
	const seeded = soho('fr', 'db', 'seed');
	expect(seeded.code).toBe(0);
	expect(seeded.stdout).toContain('Programme de démonstration « Gers');
	expect(soho('en', 'db', 'seed').stdout).toContain('already exists; nothing changed.');
	expect(soho('fr', 'db', 'seed').stdout).toContain("existe déjà ; rien n'a changé.");

	const file = join(backupDir, 'soho.json.gz');
	const backup = soho('fr', 'db', 'backup', file);
	expect(backup.code).toBe(0);
	expect(backup.stdout).toContain(`Sauvegarde de PGlite`);
	expect(backup.stdout).toContain(`écrite dans ${file}`);
	expect(backup.stdout).toMatch(/^ {2}total {20}\d+$/m);

	// Refusals: a database that holds data, a file that is not there, a file that is no backup.
	const full = soho('fr', 'db', 'restore', file);
	expect(full.code).toBe(1);
	expect(full.stderr).toContain('La base de données cible contient déjà des données (');
	expect(full.stderr).toContain('Utilisez --force pour tout y remplacer.');
	const missing = join(backupDir, 'absent.json.gz');
	expect(soho('fr', 'db', 'restore', missing).stderr).toContain(`${missing} n'existe pas.`);
	expect(soho('en', 'db', 'restore', missing).stderr).toContain(`${missing} does not exist.`);
	const text = soho('fr', 'db', 'restore', 'package.json');
	expect(text.stderr).toContain(
		"n'est pas une sauvegarde soho valide : ce n'est pas un fichier gzip, ou il est endommagé."
	);
	expect(soho('fr', 'db', 'backup', '  ').stderr).toContain('Fichier : un nom de fichier est requis.');

	const restored = soho('en', 'db', 'restore', file, '--force');
	expect(restored.code).toBe(0);
	expect(restored.stdout).toMatch(/^Backup of \S+ \(soho [^,]+, pglite\) restored into PGlite/m);
}, 600_000);

test('config check and jobs speak French and English', () => {
	expect(soho('fr', 'config', 'check').stdout).toContain(
		`La configuration est valide (base de données : PGlite dans ${dataDir}, courrier : boîte d'envoi seulement).`
	);
	expect(soho('en', 'config', 'check').stdout).toContain('Configuration is valid (database: PGlite in');
	const unknown = soho('fr', 'jobs', 'run', 'nope');
	expect(unknown.code).toBe(2);
	expect(unknown.stderr).toContain('Tâche inconnue : nope. Tâches connues : ');
	expect(soho('en', 'jobs', 'run', 'nope').stderr).toContain('Unknown job: nope. Known jobs: ');
}, 300_000);
