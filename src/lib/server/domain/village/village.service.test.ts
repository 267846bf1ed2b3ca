import { expect, test } from 'vitest';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { importConnectivity } from '../connectivity/connectivity.service.ts';
import {
	addCommitteeMember,
	createVillage,
	getPublicVillageBySlug,
	listPublicVillages,
	setProgrammeMetropolePosition,
	updateVillage
} from './village.service.ts';
import { findCommitteeVillageIds } from './village.repository.ts';
import { expectDomainError, expectIssuesByField } from '../../testing/expectations.ts';
import { createTestOffer, createTestProgrammes, createTestUser } from '../../testing/factories.ts';

describeEachDb('villages', (ctx) => {
	const setup = async () => {
		const { programme, other } = await createTestProgrammes(ctx.db);
		await setProgrammeMetropolePosition(
			{ programmeId: programme.id, lat: 43.6045, lon: 1.4442 },
			{ db: ctx.db }
		);
		const create = (programmeId: string, communeCode: string, extra: object = {}) =>
			createVillage({ input: { programmeId, communeCode, ...extra } }, { db: ctx.db }).then((r) => r.village);
		const simorre = await create(programme.id, '32433', {
			presentationFr: 'Village de l’Astarac.',
			presentationEn: 'A village of the Astarac.',
			services: { schools: { primary: true }, shops: ['boulangerie'] }
		});
		const samatan = await create(programme.id, '32410', {
			services: { health: { doctor: true, pharmacy: true } }
		});
		const isle = await create(programme.id, '32160', { status: 'prospect' });
		const condom = await create(programme.id, '32107');
		const otherSimorre = await create(other.id, '32433');
		const users = {
			admin: await createTestUser(ctx.db, { role: 'admin', programmeId: programme.id, email: 'admin@x.org' }),
			advisor: await createTestUser(ctx.db, {
				role: 'advisor',
				programmeId: programme.id,
				email: 'advisor@x.org'
			}),
			committee: await createTestUser(ctx.db, {
				role: 'committee',
				programmeId: programme.id,
				email: 'maire@x.org'
			}),
			partner: await createTestUser(ctx.db, { role: 'partner', programmeId: programme.id, email: 'p@x.org' }),
			member: await createTestUser(ctx.db, { role: 'member', programmeId: programme.id, email: 'm@x.org' }),
			candidate: await createTestUser(ctx.db, {
				role: 'candidate',
				programmeId: programme.id,
				email: 'c@x.org'
			}),
			otherAdvisor: await createTestUser(ctx.db, {
				role: 'advisor',
				programmeId: other.id,
				email: 'lot@x.org'
			})
		};
		await addCommitteeMember(
			{ villageId: simorre.id, userId: users.committee.user.id, committeeRole: 'mayor', isContact: true },
			{ db: ctx.db }
		);
		return { programme, other, simorre, samatan, isle, condom, otherSimorre, users };
	};

	test('a committee member edits the village they sit on', async () => {
		const { simorre, users } = await setup();
		expect(await findCommitteeVillageIds({ db: ctx.db, userId: users.committee.user.id })).toEqual([
			simorre.id
		]);
		const { village } = await updateVillage(
			{
				actor: users.committee.actor,
				villageId: simorre.id,
				input: { presentationFr: 'Nouveau texte', services: { bus: true } }
			},
			{ db: ctx.db }
		);
		expect(village).toMatchObject({ presentationFr: 'Nouveau texte', services: { bus: true } });
		// …but not its partnership status, which is the programme's decision.
		await expectDomainError(
			updateVillage(
				{ actor: users.committee.actor, villageId: simorre.id, input: { status: 'former_partner' } },
				{ db: ctx.db }
			),
			'village.forbidden'
		);
	});

	test('a committee member gets not_found for another village and for another programme’s village', async () => {
		const { samatan, otherSimorre, users } = await setup();
		for (const villageId of [samatan.id, otherSimorre.id, 'vil_doesnotexist', 'not-an-id']) {
			await expectDomainError(
				updateVillage(
					{ actor: users.committee.actor, villageId, input: { presentationFr: 'x' } },
					{ db: ctx.db }
				),
				'village.not_found'
			);
		}
	});

	test('staff edit any village of their programme, not another programme’s', async () => {
		const { samatan, otherSimorre, users } = await setup();
		for (const role of ['admin', 'advisor'] as const) {
			const { village } = await updateVillage(
				{
					actor: users[role].actor,
					villageId: samatan.id,
					input: { status: 'former_partner', presentationEn: role }
				},
				{ db: ctx.db }
			);
			expect(village).toMatchObject({ status: 'former_partner', presentationEn: role });
		}
		await expectDomainError(
			updateVillage(
				{ actor: users.advisor.actor, villageId: otherSimorre.id, input: { presentationFr: 'x' } },
				{ db: ctx.db }
			),
			'village.not_found'
		);
		await expectDomainError(
			updateVillage(
				{ actor: users.otherAdvisor.actor, villageId: samatan.id, input: { presentationFr: 'x' } },
				{ db: ctx.db }
			),
			'village.not_found'
		);
	});

	test('partners, members and candidates cannot edit villages', async () => {
		const { simorre, users } = await setup();
		for (const role of ['partner', 'member', 'candidate'] as const) {
			await expectDomainError(
				updateVillage(
					{ actor: users[role].actor, villageId: simorre.id, input: { presentationFr: 'x' } },
					{ db: ctx.db }
				),
				'village.not_found'
			);
		}
	});

	test('only committee users of the same programme sit on a committee; committee members cannot add others', async () => {
		const { simorre, users } = await setup();
		await expectDomainError(
			addCommitteeMember({ villageId: simorre.id, userId: users.candidate.user.id }, { db: ctx.db }),
			'village.invalid_committee_member'
		);
		await expectDomainError(
			addCommitteeMember(
				{ actor: users.committee.actor, villageId: simorre.id, userId: users.committee.user.id },
				{ db: ctx.db }
			),
			'village.forbidden'
		);
		await addCommitteeMember(
			{
				actor: users.advisor.actor,
				villageId: simorre.id,
				userId: users.committee.user.id,
				committeeRole: 'volunteer'
			},
			{ db: ctx.db }
		);
	});

	test('the public list shows partner villages with contact, distance and level, and filters them', async () => {
		const { programme, simorre, users } = await setup();
		await importConnectivity({ text: '32433;30\n32410;gbit\n32107;8\n', file: 'levels.csv' }, { db: ctx.db });
		const { villages } = await listPublicVillages(
			{ programmeId: programme.id, locale: 'en' },
			{ db: ctx.db }
		);
		expect(villages.map((v) => v.name)).toEqual(['Condom', 'Samatan', 'Simorre']);
		const simorreView = villages.find((v) => v.id === simorre.id)!;
		expect(simorreView).toMatchObject({
			presentation: 'A village of the Astarac.',
			connectionLevel: '30',
			epciName: 'CC Savès',
			committeeContact: { name: users.committee.user.name, email: 'maire@x.org' },
			offerCount: 0
		});
		expect(simorreView.distanceToMetropoleKm).toBeGreaterThan(55);
		expect(simorreView.distanceToMetropoleKm).toBeLessThan(65);

		const list = async (filters: object) =>
			(await listPublicVillages({ programmeId: programme.id, filters }, { db: ctx.db })).villages.map(
				(v) => v.name
			);
		expect(await list({ connectionLevels: ['30', '100', 'gbit'] })).toEqual(['Samatan', 'Simorre']);
		expect(await list({ maxDistanceToMetropoleKm: 60 })).toEqual(['Samatan', 'Simorre']);
		expect(await list({ service: 'doctor' })).toEqual(['Samatan']);
		expect(await list({ isPartnerOnly: false })).toEqual(['Condom', "L'Isle-Jourdain", 'Samatan', 'Simorre']);
		expect(await list({ search: 'SIMÒRRE' })).toEqual(['Simorre']);
		expect(await list({ search: 'isle', isPartnerOnly: false })).toEqual(["L'Isle-Jourdain"]);
		expect(await list({ hasOffers: true })).toEqual([]);

		const now = new Date();
		await createTestOffer(ctx.db, {
			programmeId: programme.id,
			kind: 'house_rent',
			titleFr: 'Maison',
			communeCode: '32410',
			publishedAt: new Date(now.getTime() - 1000),
			expiresAt: new Date(now.getTime() + 86_400_000)
		});
		// Expired since it was published: the service refuses an expiry in the past, so the clock it
		// is given is the one of its publication.
		await createTestOffer(
			ctx.db,
			{
				programmeId: programme.id,
				kind: 'house_rent',
				titleFr: 'Maison expirée',
				communeCode: '32433',
				publishedAt: new Date(now.getTime() - 10_000),
				expiresAt: new Date(now.getTime() - 1000)
			},
			{ now: new Date(now.getTime() - 10_000) }
		);
		expect(await list({ hasOffers: true })).toEqual(['Samatan']);
	});

	test('a teaser lists the villages with the most public offers first, cut to its length, with their contact', async () => {
		const { programme, simorre, users } = await setup();
		const now = new Date();
		const offer = (communeCode: string, villageId?: string) =>
			createTestOffer(ctx.db, {
				programmeId: programme.id,
				kind: 'house_rent',
				titleFr: 'Maison',
				communeCode,
				...(villageId ? { villageId } : {}),
				publishedAt: new Date(now.getTime() - 1000),
				expiresAt: new Date(now.getTime() + 86_400_000)
			});
		await offer('32433', simorre.id);
		await offer('32433', simorre.id);
		await offer('32410');
		const teaser = async (input: object) =>
			(
				await listPublicVillages(
					{ programmeId: programme.id, locale: 'en', order: 'most_offers', ...input },
					{ db: ctx.db }
				)
			).villages;
		const all = await teaser({});
		expect(all.map((v) => [v.name, v.offerCount])).toEqual([
			['Simorre', 2],
			['Samatan', 1],
			['Condom', 0]
		]);
		const two = await teaser({ limit: 2 });
		expect(two.map((v) => v.name)).toEqual(['Simorre', 'Samatan']);
		// The contact member is read for the villages shown, as in the full list.
		expect(two[0].committeeContact).toEqual(all[0].committeeContact);
		expect(two[0].committeeContact).toMatchObject({ name: users.committee.user.name });
		// Filters apply before the cut; the default order stays by name.
		expect(
			(await teaser({ limit: 1, filters: { maxDistanceToMetropoleKm: 60 } })).map((v) => v.name)
		).toEqual(['Simorre']);
		expect(
			(await listPublicVillages({ programmeId: programme.id, limit: 2 }, { db: ctx.db })).villages.map(
				(v) => v.name
			)
		).toEqual(['Condom', 'Samatan']);
		expect(await expectIssuesByField(teaser({ limit: 0 }))).toEqual({ limit: 'village.invalid_limit' });
		expect(await expectIssuesByField(teaser({ order: 'random' }))).toEqual({
			order: 'village.invalid_order'
		});
	});

	test('a public village page is found by slug; prospects and other programmes’ villages are not', async () => {
		const { programme, other } = await setup();
		const { village } = await getPublicVillageBySlug(
			{ programmeId: programme.id, slug: 'simorre', locale: 'fr' },
			{ db: ctx.db }
		);
		expect(village.presentation).toBe('Village de l’Astarac.');
		await expectDomainError(
			getPublicVillageBySlug({ programmeId: programme.id, slug: 'l-isle-jourdain' }, { db: ctx.db }),
			'village.not_found'
		);
		await expectDomainError(
			getPublicVillageBySlug({ programmeId: other.id, slug: 'samatan' }, { db: ctx.db }),
			'village.not_found'
		);
	});

	test('a commune becomes a village once per programme, only inside its territory', async () => {
		const { programme, users } = await setup();
		await expectDomainError(
			createVillage({ input: { programmeId: programme.id, communeCode: '32433' } }, { db: ctx.db }),
			'village.already_exists'
		);
		await expectDomainError(
			createVillage({ input: { programmeId: programme.id, communeCode: '46042' } }, { db: ctx.db }),
			'village.commune_not_found'
		);
		await expectDomainError(
			createVillage(
				{ actor: users.committee.actor, input: { programmeId: programme.id, communeCode: '32013' } },
				{ db: ctx.db }
			),
			'programme.not_found'
		);
		const { village } = await createVillage(
			{ actor: users.advisor.actor, input: { programmeId: programme.id, communeCode: '32013' } },
			{ db: ctx.db }
		);
		expect(village.slug).toBe('auch');
	});
});
