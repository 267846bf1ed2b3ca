import { and, eq } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { auditEntriesTable, organisationsTable } from '../../db/schema/index.ts';
import type { ValidationError } from '../../validation.ts';
import { expectDomainError } from '../../testing/expectations.ts';
import {
	createOrganisation,
	getOrganisation,
	listOrganisations,
	setOrganisationRetired,
	updateOrganisation
} from './organisation.service.ts';
import { createTestProgrammes, createTestUser } from '../../testing/factories.ts';

describeEachDb('partner organisations', (ctx) => {
	const setup = async () => {
		const db = ctx.db;
		const { programme, other } = await createTestProgrammes(db);
		const { actor: admin } = await createTestUser(db, {
			role: 'admin',
			programmeId: programme.id,
			email: 'admin@gers.example'
		});
		const { actor: advisor } = await createTestUser(db, {
			role: 'advisor',
			programmeId: programme.id,
			email: 'conseil@gers.example'
		});
		const { actor: lotAdvisor } = await createTestUser(db, {
			role: 'advisor',
			programmeId: other.id,
			email: 'conseil@lot.example'
		});
		const { organisation: agency } = await createOrganisation(
			{
				actor: admin,
				input: {
					programmeId: programme.id,
					name: 'Agence départementale d’information sur le logement',
					kind: 'housing_agency',
					email: 'Contact@ADIL32.example',
					website: 'https://adil32.example'
				}
			},
			{ db }
		);
		const { organisation: network } = await createOrganisation(
			{
				actor: advisor,
				input: { programmeId: programme.id, name: 'Réseau des tiers-lieux', kind: 'coworking_network' }
			},
			{ db }
		);
		const { actor: partner } = await createTestUser(db, {
			role: 'partner',
			programmeId: programme.id,
			email: 'conseil@adil32.example',
			organisationId: agency.id
		});
		return { programme, other, admin, advisor, lotAdvisor, partner, agency, network };
	};
	const issuesOf = async (promise: Promise<unknown>) => {
		const error = await expectDomainError(promise, 'validation.invalid_input');
		return (error as ValidationError).issues.map((i) => `${i.field}:${i.code}`).sort();
	};

	test('staff add, edit and retire organisations; a retired one stays listed, last, and every change is audited', async () => {
		const { admin, advisor, agency, network } = await setup();
		expect(agency).toMatchObject({
			email: 'contact@adil32.example',
			archivedAt: null,
			kind: 'housing_agency'
		});
		const { organisation: edited } = await updateOrganisation(
			{
				actor: advisor,
				organisationId: network.id,
				input: { phone: '05 62 00 00 00', name: 'Réseau des tiers-lieux du Gers' }
			},
			{ db: ctx.db }
		);
		expect(edited).toMatchObject({ phone: '05 62 00 00 00', name: 'Réseau des tiers-lieux du Gers' });
		const now = new Date('2026-11-20T09:00:00Z');
		const { organisation: retired } = await setOrganisationRetired(
			{ actor: admin, organisationId: agency.id, isRetired: true },
			{ db: ctx.db, now }
		);
		expect(retired.archivedAt?.toISOString()).toBe(now.toISOString());
		const { organisations } = await listOrganisations({ actor: advisor }, { db: ctx.db });
		expect(organisations.map((o) => o.id)).toEqual([network.id, agency.id]);
		const audit = await ctx.db
			.select()
			.from(auditEntriesTable)
			.where(and(eq(auditEntriesTable.entityType, 'organisation')));
		expect(
			audit.map((entry) => `${entry.entityId === agency.id ? 'agency' : 'network'}:${entry.action}`).sort()
		).toEqual(['agency:create', 'agency:retire', 'network:create', 'network:update']);
		const { organisation: back } = await setOrganisationRetired(
			{ actor: admin, organisationId: agency.id, isRetired: false },
			{ db: ctx.db }
		);
		expect(back.archivedAt).toBeNull();
	});

	test('a partner sees only their own organisation, read-only, with its people; they create nothing', async () => {
		const { programme, partner, agency, network } = await setup();
		const { organisations } = await listOrganisations({ actor: partner }, { db: ctx.db });
		expect(organisations.map((o) => o.id)).toEqual([agency.id]);
		const { people, canManage } = await getOrganisation(
			{ actor: partner, organisationId: agency.id },
			{ db: ctx.db }
		);
		expect(canManage).toBe(false);
		expect(people.map((p) => p.email)).toEqual(['conseil@adil32.example']);
		await expectDomainError(
			getOrganisation({ actor: partner, organisationId: network.id }, { db: ctx.db }),
			'organisation.not_found'
		);
		await expectDomainError(
			createOrganisation(
				{ actor: partner, input: { programmeId: programme.id, name: 'Ma banque', kind: 'bank' } },
				{ db: ctx.db }
			),
			'organisation.forbidden'
		);
		await expectDomainError(
			updateOrganisation(
				{ actor: partner, organisationId: agency.id, input: { name: 'Renommée' } },
				{ db: ctx.db }
			),
			'organisation.forbidden'
		);
		await expectDomainError(
			setOrganisationRetired({ actor: partner, organisationId: agency.id, isRetired: true }, { db: ctx.db }),
			'organisation.forbidden'
		);
		const [row] = await ctx.db.select().from(organisationsTable).where(eq(organisationsTable.id, agency.id));
		expect(row).toMatchObject({ name: agency.name, archivedAt: null });
	});

	test('an advisor of another programme neither sees nor touches the programme’s organisations', async () => {
		const { programme, lotAdvisor, agency } = await setup();
		expect((await listOrganisations({ actor: lotAdvisor }, { db: ctx.db })).organisations).toEqual([]);
		await expectDomainError(
			getOrganisation({ actor: lotAdvisor, organisationId: agency.id }, { db: ctx.db }),
			'organisation.not_found'
		);
		await expectDomainError(
			updateOrganisation(
				{ actor: lotAdvisor, organisationId: agency.id, input: { name: 'Piratée' } },
				{ db: ctx.db }
			),
			'organisation.not_found'
		);
		await expectDomainError(
			setOrganisationRetired(
				{ actor: lotAdvisor, organisationId: agency.id, isRetired: true },
				{ db: ctx.db }
			),
			'organisation.not_found'
		);
		await expectDomainError(
			createOrganisation(
				{ actor: lotAdvisor, input: { programmeId: programme.id, name: 'Intrus', kind: 'bank' } },
				{ db: ctx.db }
			),
			'programme.not_found'
		);
	});

	test('bad input names each field: missing name, unknown kind, invalid email and website; nothing is written', async () => {
		const { programme, admin, agency } = await setup();
		await expect(
			issuesOf(
				createOrganisation(
					{
						actor: admin,
						input: {
							programmeId: programme.id,
							name: ' ',
							kind: 'bakery' as never,
							email: 'not-an-email',
							website: 'ftp://files.example'
						}
					},
					{ db: ctx.db }
				)
			)
		).resolves.toEqual([
			'email:organisation.invalid_email',
			'kind:organisation.invalid_kind',
			'name:organisation.invalid_name',
			'website:organisation.invalid_website'
		]);
		await expect(
			issuesOf(
				updateOrganisation(
					{ actor: admin, organisationId: agency.id, input: { website: 'adil32', phone: 'call me' } },
					{ db: ctx.db }
				)
			)
		).resolves.toEqual(['phone:organisation.invalid_phone', 'website:organisation.invalid_website']);
		expect(await ctx.db.select().from(organisationsTable)).toHaveLength(2);
	});
});
