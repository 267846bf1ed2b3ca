import { expect, test } from 'vitest';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { expectDomainError } from '../../testing/expectations.ts';
import { setProgrammeMetropolePosition } from '../village/village.service.ts';
import {
	createWorkspace,
	getPublicWorkspaceBySlug,
	listPublicWorkspaces,
	updateWorkspace
} from './workspace.service.ts';
import { createTestProgrammes, createTestOrganisation, createTestUser } from '../../testing/factories.ts';

describeEachDb('workspaces', (ctx) => {
	const setup = async () => {
		const { programme, other } = await createTestProgrammes(ctx.db);
		await setProgrammeMetropolePosition(
			{ programmeId: programme.id, lat: 43.6045, lon: 1.4442 },
			{ db: ctx.db }
		);
		const hub = await createTestOrganisation(ctx.db, {
			programmeId: programme.id,
			name: 'Hub',
			kind: 'workspace_operator'
		});
		const rival = await createTestOrganisation(ctx.db, {
			programmeId: programme.id,
			name: 'Rival',
			kind: 'workspace_operator'
		});
		const { actor: partner } = await createTestUser(ctx.db, {
			role: 'partner',
			programmeId: programme.id,
			email: 'partner@x.org',
			organisationId: hub.id
		});
		const { actor: advisor } = await createTestUser(ctx.db, {
			role: 'advisor',
			programmeId: programme.id,
			email: 'a@x.org'
		});
		const { actor: otherAdvisor } = await createTestUser(ctx.db, {
			role: 'advisor',
			programmeId: other.id,
			email: 'o@x.org'
		});
		const { workspace: auch } = await createWorkspace(
			{
				actor: advisor,
				input: {
					programmeId: programme.id,
					organisationId: hub.id,
					communeCode: '32013',
					kind: 'coworking',
					name: 'Hub coworking Auch',
					capacity: 30,
					equipment: ['Salle de réunion'],
					connection: 'Fibre 1 Gbit/s',
					prices: { day: 15, month: 180 },
					openingHoursFr: 'Lun–ven 8 h–19 h',
					openingHoursEn: 'Mon–Fri 8am–7pm'
				}
			},
			{ db: ctx.db }
		);
		const { workspace: simorre } = await createWorkspace(
			{
				input: {
					programmeId: programme.id,
					organisationId: rival.id,
					communeCode: '32433',
					kind: 'tiers_lieu',
					name: 'Tiers-lieu de Simorre'
				}
			},
			{ db: ctx.db }
		);
		return { programme, other, hub, rival, partner, advisor, otherAdvisor, auch, simorre };
	};

	test('a partner edits their organisation’s workspace and gets not_found for another’s', async () => {
		const { partner, auch, simorre } = await setup();
		const { workspace } = await updateWorkspace(
			{ actor: partner, workspaceId: auch.id, input: { capacity: 35, prices: { day: 18 } } },
			{ db: ctx.db }
		);
		expect(workspace).toMatchObject({ capacity: 35, prices: { day: 18 } });
		await expectDomainError(
			updateWorkspace({ actor: partner, workspaceId: simorre.id, input: { capacity: 1 } }, { db: ctx.db }),
			'workspace.not_found'
		);
	});

	test('a partner cannot give their workspace to another organisation nor create one for it', async () => {
		const { programme, partner, auch, rival } = await setup();
		await expectDomainError(
			updateWorkspace(
				{ actor: partner, workspaceId: auch.id, input: { organisationId: rival.id } },
				{ db: ctx.db }
			),
			'workspace.invalid_organisation'
		);
		await expectDomainError(
			createWorkspace(
				{
					actor: partner,
					input: {
						programmeId: programme.id,
						organisationId: rival.id,
						communeCode: '32410',
						kind: 'coworking',
						name: 'Xy'
					}
				},
				{ db: ctx.db }
			),
			'workspace.invalid_organisation'
		);
		const { workspace } = await createWorkspace(
			{
				actor: partner,
				input: {
					programmeId: programme.id,
					communeCode: '32410',
					kind: 'telecentre',
					name: 'Télécentre de Samatan'
				}
			},
			{ db: ctx.db }
		);
		expect(workspace).toMatchObject({
			organisationId: partner.organisationId,
			slug: 'telecentre-de-samatan'
		});
	});

	test('staff cannot hand a workspace to an organisation of another programme', async () => {
		const { programme, other, advisor, auch } = await setup();
		const lotOperator = await createTestOrganisation(ctx.db, {
			programmeId: other.id,
			name: 'Opérateur du Lot',
			kind: 'workspace_operator'
		});
		await expectDomainError(
			updateWorkspace(
				{ actor: advisor, workspaceId: auch.id, input: { organisationId: lotOperator.id } },
				{ db: ctx.db }
			),
			'workspace.invalid_organisation'
		);
		await expectDomainError(
			createWorkspace(
				{
					actor: advisor,
					input: {
						programmeId: programme.id,
						organisationId: lotOperator.id,
						communeCode: '32410',
						kind: 'coworking',
						name: 'Xy'
					}
				},
				{ db: ctx.db }
			),
			'workspace.invalid_organisation'
		);
	});

	test('staff edit any workspace of their programme; other programmes, members and candidates get not_found', async () => {
		const { programme, advisor, otherAdvisor, simorre } = await setup();
		await updateWorkspace(
			{ actor: advisor, workspaceId: simorre.id, input: { organisationId: null } },
			{ db: ctx.db }
		);
		await expectDomainError(
			updateWorkspace(
				{ actor: otherAdvisor, workspaceId: simorre.id, input: { capacity: 1 } },
				{ db: ctx.db }
			),
			'workspace.not_found'
		);
		for (const role of ['member', 'candidate', 'committee'] as const) {
			const { actor } = await createTestUser(ctx.db, {
				role,
				programmeId: programme.id,
				email: `${role}@x.org`
			});
			await expectDomainError(
				updateWorkspace({ actor, workspaceId: simorre.id, input: { capacity: 1 } }, { db: ctx.db }),
				'workspace.not_found'
			);
			await expectDomainError(
				createWorkspace(
					{
						actor,
						input: { programmeId: programme.id, communeCode: '32410', kind: 'coworking', name: 'Xy' }
					},
					{ db: ctx.db }
				),
				'workspace.forbidden'
			);
		}
	});

	test('the public list filters by kind and shows texts in the reader’s language', async () => {
		const { programme, other } = await setup();
		const { workspaces } = await listPublicWorkspaces(
			{ programmeId: programme.id, locale: 'en' },
			{ db: ctx.db }
		);
		expect(workspaces.map((w) => w.name)).toEqual(['Hub coworking Auch', 'Tiers-lieu de Simorre']);
		expect(workspaces[0]).toMatchObject({
			openingHours: 'Mon–Fri 8am–7pm',
			operatorName: 'Hub',
			communeName: 'Auch'
		});
		expect(workspaces[0].distanceToMetropoleKm).toBeCloseTo(69.3, 0);
		const tiers = await listPublicWorkspaces(
			{ programmeId: programme.id, filters: { kinds: ['tiers_lieu'] } },
			{ db: ctx.db }
		);
		expect(tiers.workspaces.map((w) => w.slug)).toEqual(['tiers-lieu-de-simorre']);
		const { workspace } = await getPublicWorkspaceBySlug(
			{ programmeId: programme.id, slug: 'hub-coworking-auch' },
			{ db: ctx.db }
		);
		expect(workspace.openingHours).toBe('Lun–ven 8 h–19 h');
		await expectDomainError(
			getPublicWorkspaceBySlug({ programmeId: other.id, slug: 'hub-coworking-auch' }, { db: ctx.db }),
			'workspace.not_found'
		);
	});
});
