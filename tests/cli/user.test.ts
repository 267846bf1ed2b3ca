import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createDb, pgliteDir } from '../../src/lib/server/db/index.ts';
import {
	membershipsTable,
	usersTable,
	villageCommitteeMembersTable
} from '../../src/lib/server/db/schema/index.ts';

import {
	createTestProgramme,
	createTestOrganisation,
	createTestVillage,
	insertTestCommunes
} from '../../src/lib/server/testing/factories.ts';

/** `soho user create` in a child process, on a PGlite data directory prepared here. */
const dataDir = mkdtempSync(join(tmpdir(), 'soho-cli-user-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

let ids: { simorre: string; samatan: string; bank: string; otherBank: string };

beforeAll(async () => {
	const handle = await createDb({ dataDir: pgliteDir(dataDir) });
	await handle.migrate();
	const db = handle.db;
	const programme = await createTestProgramme(db);
	const lot = await createTestProgramme(db, { slug: 'lot', name: 'Lot', departements: ['46'] });
	await insertTestCommunes(db, [
		{ code: '32433', name: 'Simorre', departementCode: '32' },
		{ code: '32410', name: 'Samatan', departementCode: '32' },
		{ code: '46042', name: 'Cahors', departementCode: '46' }
	]);
	const simorre = await createTestVillage(db, {
		programmeId: programme.id,
		communeCode: '32433',
		slug: 'simorre'
	});
	const samatan = await createTestVillage(db, {
		programmeId: programme.id,
		communeCode: '32410',
		slug: 'samatan'
	});
	await createTestVillage(db, { programmeId: lot.id, communeCode: '46042', slug: 'cahors' });
	const bank = await createTestOrganisation(db, {
		programmeId: programme.id,
		name: 'Banque du Gers',
		kind: 'bank'
	});
	const otherBank = await createTestOrganisation(db, {
		programmeId: lot.id,
		name: 'Banque du Lot',
		kind: 'bank'
	});
	ids = { simorre: simorre.id, samatan: samatan.id, bank: bank.id, otherBank: otherBank.id };
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

async function readBack(email: string) {
	const handle = await createDb({ dataDir: pgliteDir(dataDir) });
	try {
		const [user] = await handle.db.select().from(usersTable).where(eq(usersTable.email, email));
		const memberships = await handle.db
			.select()
			.from(membershipsTable)
			.where(eq(membershipsTable.userId, user.id));
		const seats = await handle.db
			.select()
			.from(villageCommitteeMembersTable)
			.where(eq(villageCommitteeMembersTable.userId, user.id));
		return { user, memberships, seats };
	} finally {
		await handle.close();
	}
}

test('a committee member is created with their villages and function, a partner with their organisation by name', async () => {
	const mayor = soho(
		'user',
		'create',
		'--email',
		'maire@simorre.example',
		'--name',
		'Jeanne',
		'--role',
		'committee',
		'--programme',
		'gers',
		'--village',
		'simorre',
		'--village',
		'samatan',
		'--function',
		'mayor',
		'--json'
	);
	expect(mayor.stderr).toBe('');
	expect(mayor.code).toBe(0);
	expect(JSON.parse(mayor.stdout)).toMatchObject({
		role: 'committee',
		villages: ['simorre', 'samatan'],
		invited: true
	});

	const partner = soho(
		'user',
		'create',
		'--email',
		'paul@bank.example',
		'--name',
		'Paul',
		'--role',
		'partner',
		'--programme',
		'gers',
		'--organisation',
		'Banque du Gers'
	);
	expect(partner.code).toBe(0);
	expect(partner.stdout).toContain('Account created: paul@bank.example (partner) in programme gers.');
	expect(partner.stdout).toContain(`Organisation: ${ids.bank}.`);

	const jeanne = await readBack('maire@simorre.example');
	expect(jeanne.memberships).toMatchObject([{ role: 'committee', status: 'active', organisationId: null }]);
	expect(jeanne.seats.map((s) => [s.villageId, s.committeeRole]).sort()).toEqual(
		[
			[ids.simorre, 'mayor'],
			[ids.samatan, 'mayor']
		].sort()
	);
	const paul = await readBack('paul@bank.example');
	expect(paul.memberships).toMatchObject([{ role: 'partner', organisationId: ids.bank }]);
}, 120_000);

test('a village or organisation of another programme, an unknown function and a misplaced scope are refused; nothing is created', async () => {
	const otherVillage = soho(
		'user',
		'create',
		'--email',
		'a@x.example',
		'--name',
		'A',
		'--role',
		'committee',
		'--programme',
		'gers',
		'--village',
		'cahors'
	);
	expect(otherVillage.code).not.toBe(0);
	expect(otherVillage.stderr).toMatch(/village/i);

	const otherOrganisation = soho(
		'user',
		'create',
		'--email',
		'a@x.example',
		'--name',
		'A',
		'--role',
		'partner',
		'--programme',
		'gers',
		'--organisation',
		ids.otherBank
	);
	expect(otherOrganisation.code).not.toBe(0);
	expect(otherOrganisation.stderr).toContain('Unknown organisation in this programme.');

	const badFunction = soho(
		'user',
		'create',
		'--email',
		'a@x.example',
		'--name',
		'A',
		'--role',
		'committee',
		'--programme',
		'gers',
		'--village',
		'simorre',
		'--function',
		'king'
	);
	expect(badFunction.code).not.toBe(0);
	expect(badFunction.stderr).toContain('mayor, deputy, secretary, volunteer');

	const misplaced = soho(
		'user',
		'create',
		'--email',
		'a@x.example',
		'--name',
		'A',
		'--role',
		'advisor',
		'--programme',
		'gers',
		'--village',
		'simorre'
	);
	expect(misplaced.code).not.toBe(0);
	expect(misplaced.stderr).toContain('villages apply only to the committee role');

	const handle = await createDb({ dataDir: pgliteDir(dataDir) });
	try {
		expect(await handle.db.select().from(usersTable).where(eq(usersTable.email, 'a@x.example'))).toEqual([]);
	} finally {
		await handle.close();
	}
}, 120_000);

test('an operator removes the second factor of a locked-out person; an unknown address is refused', async () => {
	const created = soho(
		'user',
		'create',
		'--email',
		'lea@gers.example',
		'--name',
		'Léa',
		'--role',
		'advisor',
		'--programme',
		'gers'
	);
	expect(created.code).toBe(0);
	const reset = soho('user', 'reset-two-factor', '--email', 'lea@gers.example', '--json');
	expect(reset.stderr).toBe('');
	expect(reset.code).toBe(0);
	expect(JSON.parse(reset.stdout)).toMatchObject({ email: 'lea@gers.example', hadTwoFactor: false });

	const unknown = soho('user', 'reset-two-factor', '--email', 'nobody@gers.example');
	expect(unknown.code).not.toBe(0);
	expect(unknown.stderr).toContain('No account has this email address.');
}, 180_000);
