import { and, eq } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { auditEntriesTable, villagesTable } from '../../db/schema/index.ts';
import { expectDomainError } from '../../testing/expectations.ts';
import {
	addCommitteeMember,
	createVillage,
	getPublicVillageBySlug,
	getVillage,
	listCommitteeMembers,
	listPublicVillages,
	listVillageCommuneChoices,
	retireVillage,
	updateVillage
} from './village.service.ts';
import { createTestProgrammes, createTestUser, insertTestCommunes } from '../../testing/factories.ts';

describeEachDb('managing partner villages from the back office', (ctx) => {
	const setup = async () => {
		const db = ctx.db;
		const { programme, other } = await createTestProgrammes(db);
		// Toulouse: a real commune, outside the Gers programme's territory.
		await insertTestCommunes(db, { code: '31555', name: 'Toulouse', departementCode: '31' });
		const user = (
			role: 'admin' | 'advisor' | 'committee' | 'partner',
			email: string,
			programmeId = programme.id
		) => createTestUser(db, { role, programmeId, email }).then(({ actor }) => actor);
		const admin = await user('admin', 'admin@gers.example');
		const mayor = await user('committee', 'maire@simorre.example');
		const partner = await user('partner', 'banque@gers.example');
		const lotAdvisor = await user('advisor', 'conseil@lot.example', other.id);
		const { village: simorre } = await createVillage(
			{ actor: admin, input: { programmeId: programme.id, communeCode: '32433', joinedOn: '2024-03-01' } },
			{ db }
		);
		await addCommitteeMember(
			{ actor: admin, villageId: simorre.id, userId: mayor.userId, committeeRole: 'mayor', isContact: true },
			{ db }
		);
		return { programme, other, admin, mayor, partner, lotAdvisor, simorre };
	};

	test('the communes offered are the territory’s, less those that already are villages', async () => {
		const { admin } = await setup();
		const { communes } = await listVillageCommuneChoices({ actor: admin }, { db: ctx.db });
		const codes = communes.map((c) => c.code);
		expect(codes).toContain('32013');
		expect(codes).not.toContain('32433'); // already a village
		expect(codes).not.toContain('31555'); // outside the territory
		expect(communes.map((c) => c.name)).toEqual(
			[...communes.map((c) => c.name)].sort((a, b) => a.localeCompare(b, 'fr'))
		);
	});

	test('an admin creates, edits and retires a village: it leaves the public lists, its history stays', async () => {
		const { programme, admin, mayor, simorre } = await setup();
		const { village: auch } = await createVillage(
			{
				actor: admin,
				input: { programmeId: programme.id, communeCode: '32013', presentationFr: 'Préfecture.' }
			},
			{ db: ctx.db }
		);
		expect(auch).toMatchObject({ slug: 'auch', status: 'partner' });
		await updateVillage(
			{
				actor: admin,
				villageId: auch.id,
				input: { presentationEn: 'The county town.', services: { station: true } }
			},
			{ db: ctx.db }
		);
		const now = new Date();
		const before = await listPublicVillages({ programmeId: programme.id }, { db: ctx.db, now });
		expect(before.villages.map((v) => v.slug).sort()).toEqual(['auch', 'simorre']);
		const { village: retired } = await retireVillage({ actor: admin, villageId: simorre.id }, { db: ctx.db });
		expect(retired.status).toBe('former_partner');
		// Twice: nothing more happens.
		await retireVillage({ actor: admin, villageId: simorre.id }, { db: ctx.db });
		const after = await listPublicVillages({ programmeId: programme.id }, { db: ctx.db, now });
		expect(after.villages.map((v) => v.slug)).toEqual(['auch']);
		await expectDomainError(
			getPublicVillageBySlug({ programmeId: programme.id, slug: 'simorre' }, { db: ctx.db }),
			'village.not_found'
		);
		// The back office still has it, with its committee.
		expect((await getVillage({ actor: admin, villageId: simorre.id }, { db: ctx.db })).village.status).toBe(
			'former_partner'
		);
		const { members } = await listCommitteeMembers({ actor: admin, villageId: simorre.id }, { db: ctx.db });
		expect(members).toEqual([
			{
				userId: mayor.userId,
				name: 'maire',
				email: 'maire@simorre.example',
				committeeRole: 'mayor',
				isContact: true
			}
		]);
		const audit = await ctx.db
			.select()
			.from(auditEntriesTable)
			.where(and(eq(auditEntriesTable.entityType, 'village'), eq(auditEntriesTable.actorId, admin.userId)));
		expect(audit.map((e) => `${e.entityId === auch.id ? 'auch' : 'simorre'}:${e.action}`).sort()).toEqual([
			'auch:create',
			'auch:update',
			'simorre:create',
			'simorre:retire'
		]);
	});

	test('bad input: a commune outside the territory, a commune already a village, a slug taken', async () => {
		const { programme, admin } = await setup();
		const create = (input: { communeCode: string; slug?: string }) =>
			createVillage({ actor: admin, input: { programmeId: programme.id, ...input } }, { db: ctx.db });
		await expectDomainError(create({ communeCode: '31555' }), 'village.commune_not_found');
		await expectDomainError(create({ communeCode: '99999' }), 'village.commune_not_found');
		await expectDomainError(create({ communeCode: '32433', slug: 'simorre-bis' }), 'village.already_exists');
		await expectDomainError(create({ communeCode: '32013', slug: 'simorre' }), 'village.slug_taken');
		await expectDomainError(
			create({ communeCode: '32013', slug: 'Pas une adresse' }),
			'validation.invalid_input'
		);
		const rows = await ctx.db.select().from(villagesTable).where(eq(villagesTable.programmeId, programme.id));
		expect(rows.map((row) => row.slug)).toEqual(['simorre']);
	});

	test('only the programme’s staff create and retire villages; its committee edits the page, not the status', async () => {
		const { programme, mayor, partner, lotAdvisor, simorre } = await setup();
		await expectDomainError(
			createVillage(
				{ actor: lotAdvisor, input: { programmeId: programme.id, communeCode: '32013' } },
				{ db: ctx.db }
			),
			'programme.not_found'
		);
		await expectDomainError(
			createVillage(
				{ actor: mayor, input: { programmeId: programme.id, communeCode: '32013' } },
				{ db: ctx.db }
			),
			'programme.not_found'
		);
		await expectDomainError(
			retireVillage({ actor: lotAdvisor, villageId: simorre.id }, { db: ctx.db }),
			'village.not_found'
		);
		await expectDomainError(
			updateVillage(
				{ actor: lotAdvisor, villageId: simorre.id, input: { presentationFr: 'Piraté' } },
				{ db: ctx.db }
			),
			'village.not_found'
		);
		await expectDomainError(
			retireVillage({ actor: partner, villageId: simorre.id }, { db: ctx.db }),
			'village.not_found'
		);
		await expectDomainError(
			retireVillage({ actor: mayor, villageId: simorre.id }, { db: ctx.db }),
			'village.forbidden'
		);
		await expectDomainError(listVillageCommuneChoices({ actor: mayor }, { db: ctx.db }), 'village.forbidden');
		await expectDomainError(
			listCommitteeMembers({ actor: lotAdvisor, villageId: simorre.id }, { db: ctx.db }),
			'village.not_found'
		);
		const { village } = await updateVillage(
			{ actor: mayor, villageId: simorre.id, input: { presentationFr: 'Village de la Save.' } },
			{ db: ctx.db }
		);
		expect(village).toMatchObject({ presentationFr: 'Village de la Save.', status: 'partner' });
	});
});
