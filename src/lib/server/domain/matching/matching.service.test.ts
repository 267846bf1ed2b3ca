import { eq } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { describeEachDb } from '../../db/db.test-utils.ts';
import {
	auditEntriesTable,
	caseNeedsTable,
	casesTable,
	caseTargetVillagesTable,
	communeConnectivityTable,
	communesTable,
	mailMessagesTable,
	memberProfilesTable,
	membershipsTable,
	offersTable,
	programmesTable,
	villagesTable
} from '../../db/schema/index.ts';
import { expectDomainError, expectIssuesByField } from '../../testing/expectations.ts';
import { actorOfUserId, createTestUser, insertTestUsers } from '../../testing/factories.ts';
import { toActor } from '../account/account.service.ts';
import { application, applyOn, setupCaseProgrammes } from '../case/case.test-utils.ts';
import { updateOwnAmbassadorOffer, updateOwnProfile } from '../member/member.service.ts';
import { updateVillage } from '../village/village.service.ts';
import {
	getMatchingWeights,
	getNeeds,
	getSuggestions,
	proposeVillage,
	removeSuggestion,
	saveNeeds,
	saveSuggestion,
	setMatchingWeights
} from './matching.service.ts';
import { matchingDemoSeedStep } from './matching.seed.ts';

const NOW = new Date('2030-03-01T10:00:00Z');

/** A household renting up to 900 € with a child at collège, fibre wanted, 80 km from Toulouse at most. */
const form = (overrides: Record<string, unknown> = {}) => ({
	housingTenure: 'rent',
	budgetMin: '500',
	budgetMax: '900',
	housingType: 'house',
	minRooms: '3',
	minSurfaceM2: '',
	minConnection: '30',
	children: [{ age: '12', schooling: 'middle' }],
	maxSchoolKm: '',
	needsChildcare: '',
	isPartnerSeekingJob: 'on',
	partnerJobSector: 'Infirmier',
	maxStationKm: '',
	maxAirportKm: '',
	maxMetropoleKm: '80',
	wantsCoworking: '',
	villagePreference: 'prefer_partner',
	languages: ['fr', 'EN'],
	...overrides
});

describeEachDb('matching: needs, suggestions and proposals', (ctx) => {
	const apply = applyOn(ctx);

	/** The case fixtures, two households with their own accounts, and commune data for the Gers. */
	async function setup() {
		const fixtures = await setupCaseProgrammes(ctx.db);
		const { db, programme, villages, actors } = fixtures;
		await db
			.update(programmesTable)
			.set({ metropoleLat: 43.6045, metropoleLon: 1.4442 })
			.where(eq(programmesTable.id, programme.id));
		const place = (code: string, lat: number, lon: number) =>
			db
				.update(communesTable)
				.set({ centroidLat: lat, centroidLon: lon })
				.where(eq(communesTable.code, code));
		await place('32013', 43.6465, 0.5855); // Auch
		await place('32435', 43.4497, 0.7347); // Simorre
		await place('32412', 43.4938, 0.9272); // Samatan
		await db.insert(communeConnectivityTable).values([
			{ communeCode: '32435', level: 'gbit' },
			{ communeCode: '32412', level: '8' }
		]);
		await db
			.update(villagesTable)
			.set({ services: { schools: { primary: true, middle: true }, station: false } })
			.where(eq(villagesTable.id, villages.simorre.id));
		await db.insert(offersTable).values({
			programmeId: programme.id,
			kind: 'house_rent',
			titleFr: 'Maison de bourg',
			communeCode: '32435',
			villageId: villages.simorre.id,
			price: 750,
			rooms: 4,
			status: 'available',
			publishedAt: new Date('2030-02-01T00:00:00Z'),
			expiresAt: new Date('2030-06-01T00:00:00Z')
		});
		const a = await apply(programme.id, application(), 'fr');
		const b = await apply(
			programme.id,
			application({
				firstName: 'Joris',
				lastName: 'Vidal',
				email: 'joris.vidal@example.org',
				phone: '06 98 76 54 32'
			}),
			'fr'
		);
		// Applying created household B's candidate account and linked it to the case.
		const candidateB = await actorOfUserId(db, b.candidateUserId!);
		await db
			.update(casesTable)
			.set({ candidateUserId: actors.candidate.userId })
			.where(eq(casesTable.id, a.case.id));
		return { ...fixtures, caseA: a.case, caseB: b.case, candidateB };
	}

	test('before anyone answers, the questionnaire is drafted from the household; the candidate saves it and it is audited', async () => {
		const { actors, caseA } = await setup();
		const draft = await getNeeds({ actor: actors.candidate }, { db: ctx.db, now: NOW });
		expect(draft).toMatchObject({ caseId: caseA.id, isFilled: false });
		// The application's partner needs a job; the two children have no birth year, so no age is guessed.
		expect(draft.needs).toMatchObject({ isPartnerSeekingJob: true, villagePreference: 'prefer_partner' });

		const { needs } = await saveNeeds({ actor: actors.candidate, input: form() }, { db: ctx.db, now: NOW });
		expect(needs).toMatchObject({
			housingTenure: 'rent',
			budgetMin: 500,
			budgetMax: 900,
			children: [{ age: 12, schooling: 'middle' }],
			isPartnerSeekingJob: true,
			maxMetropoleKm: 80,
			languages: ['fr', 'en']
		});
		expect(await getNeeds({ actor: actors.candidate }, { db: ctx.db })).toMatchObject({
			isFilled: true,
			needs
		});
		// The advisor corrects it on the case.
		await saveNeeds(
			{ actor: actors.advisor, caseId: caseA.id, input: form({ budgetMax: '1000' }) },
			{ db: ctx.db, now: NOW }
		);
		expect((await getNeeds({ actor: actors.candidate }, { db: ctx.db })).needs.budgetMax).toBe(1000);
		const audit = await ctx.db.select().from(auditEntriesTable).where(eq(auditEntriesTable.caseId, caseA.id));
		expect(audit.filter((e) => JSON.stringify(e).includes('budgetMax')).length).toBeGreaterThanOrEqual(2);
	});

	test('impossible answers are refused field by field and nothing is written', async () => {
		const { actors } = await setup();
		expect(
			await expectIssuesByField(
				saveNeeds(
					{
						actor: actors.candidate,
						input: form({
							budgetMin: '1200',
							budgetMax: '900',
							maxStationKm: '-5',
							children: [{ age: '30', schooling: 'none' }]
						})
					},
					{ db: ctx.db }
				)
			)
		).toEqual({
			budgetMax: 'matching.budget_min_above_max',
			maxStationKm: 'matching.distance_negative',
			'children.0.age': 'matching.child_age_too_old'
		});
		expect(
			await expectIssuesByField(
				saveNeeds({ actor: actors.candidate, input: form({ budgetMin: '', budgetMax: '0' }) }, { db: ctx.db })
			)
		).toEqual({ budgetMax: 'matching.budget_zero' });
		expect(
			await expectIssuesByField(
				saveNeeds({ actor: actors.candidate, input: form({ housingTenure: '' }) }, { db: ctx.db })
			)
		).toEqual({ housingTenure: 'matching.budget_without_tenure' });
		expect(await ctx.db.select().from(caseNeedsTable)).toEqual([]);
	});

	test('partner villages are ranked with their reasons and offers; a slow village is set aside and counted', async () => {
		const { actors, villages } = await setup();
		await saveNeeds({ actor: actors.candidate, input: form() }, { db: ctx.db, now: NOW });
		const result = await getSuggestions({ actor: actors.candidate }, { db: ctx.db, now: NOW });
		if (result.status !== 'ok') throw new Error('expected suggestions');
		// Samatan's 8 Mbit/s line is below the 30 asked: a hard constraint.
		expect(result.villages.map((v) => v.slug)).toEqual(['simorre']);
		expect(result.excluded.connection).toBe(1);
		expect(result.partnerVillages).toBe(2);
		const [simorre] = result.villages;
		expect(simorre.villageId).toBe(villages.simorre.id);
		expect(simorre.reasons.map((r) => r.key)).toEqual([
			'matching_reason_connection_gbit',
			'matching_reason_housing_offers',
			'matching_reason_schools_met',
			'matching_reason_partner_job_unmet',
			'matching_reason_metropole_within',
			'matching_reason_partner_village',
			// The household speaks English; no member of the programme is known to, here.
			'matching_reason_languages_none'
		]);
		expect(simorre.offerDetails.map((o) => o.titleFr)).toEqual(['Maison de bourg']);
	});

	test('childcare said on the village page feeds the ranking: met, unmet, or unknown until said', async () => {
		const { actors, villages } = await setup();
		// A toddler, any connection (Samatan's slow line stays in).
		await saveNeeds(
			{
				actor: actors.candidate,
				input: form({ minConnection: '', children: [{ age: '2', schooling: 'childcare' }] })
			},
			{ db: ctx.db, now: NOW }
		);
		const childcareOf = async () => {
			const result = await getSuggestions({ actor: actors.candidate }, { db: ctx.db, now: NOW });
			if (result.status !== 'ok') throw new Error('expected suggestions');
			return Object.fromEntries(
				result.villages.map((v) => [v.slug, v.reasons.find((r) => r.criterion === 'childcare')?.key])
			);
		};
		expect(await childcareOf()).toEqual({
			simorre: 'matching_reason_childcare_unknown',
			samatan: 'matching_reason_childcare_unknown'
		});
		// Simorre's committee says childminders work there; staff say Samatan has neither.
		await updateVillage(
			{
				actor: actors.committee,
				villageId: villages.simorre.id,
				input: { services: { schools: { primary: true }, childcare: { childminders: true } } }
			},
			{ db: ctx.db }
		);
		await updateVillage(
			{
				actor: actors.admin,
				villageId: villages.samatan.id,
				input: { services: { childcare: { creche: false, childminders: false } } }
			},
			{ db: ctx.db }
		);
		expect(await childcareOf()).toEqual({
			simorre: 'matching_reason_childcare_met',
			samatan: 'matching_reason_childcare_unmet'
		});
		// A committee cannot say it of another village, and a value that is not yes or no is refused.
		await expectDomainError(
			updateVillage(
				{
					actor: actors.committee,
					villageId: villages.samatan.id,
					input: { services: { childcare: { creche: true } } }
				},
				{ db: ctx.db }
			),
			'village.not_found'
		);
		expect(
			await expectIssuesByField(
				updateVillage(
					{
						actor: actors.admin,
						villageId: villages.samatan.id,
						input: { services: { childcare: { creche: 'maybe' as never } } }
					},
					{ db: ctx.db }
				)
			)
		).toEqual({ 'services.childcare.creche': 'village.invalid_childcare' });
	});

	test('languages: members who let the programme see they speak Dutch are counted where they live, never named', async () => {
		const { actors, programme } = await setup();
		/** A member of the programme living in `communeCode`, with what they chose to show. */
		const member = async (
			email: string,
			communeCode: string,
			profile: Record<string, unknown>,
			ambassadorLanguages?: string
		) => {
			const { actor, user } = await createTestUser(ctx.db, {
				role: 'member',
				programmeId: programme.id,
				email
			});
			// The profile the member invitation creates (tested in the member area), then their own edits.
			await ctx.db
				.insert(memberProfilesTable)
				.values({ programmeId: programme.id, userId: user.id, displayName: email });
			await updateOwnProfile(
				{ actor, input: { displayName: `Membre ${email}`, communeCode, ...profile } },
				{ db: ctx.db }
			);
			if (ambassadorLanguages)
				await updateOwnAmbassadorOffer(
					{ actor, input: { isAmbassador: 'on', ambassadorLanguages } },
					{ db: ctx.db }
				);
			return user;
		};
		await member('anneke@example.org', '32435', { languages: 'nl, en' });
		// Speaks Dutch but hides it: not counted.
		await member('hidden@example.org', '32435', { languages: 'nl', visibility: { languages: 'hidden' } });
		// An ambassador welcoming in Dutch (their own languages left empty).
		await member('ambassador@example.org', '32435', {}, 'nl');
		// Hides where they live: not counted anywhere.
		await member('nowhere@example.org', '32412', { languages: 'nl', visibility: { commune: 'hidden' } });
		// Left the programme: not counted.
		const gone = await member('gone@example.org', '32412', { languages: 'nl' });
		await ctx.db
			.update(membershipsTable)
			.set({ status: 'deactivated', deactivatedAt: NOW })
			.where(eq(membershipsTable.userId, gone.id));

		const languagesOf = async (languages: string[]) => {
			await saveNeeds(
				{ actor: actors.candidate, input: form({ minConnection: '', languages }) },
				{ db: ctx.db, now: NOW }
			);
			const result = await getSuggestions({ actor: actors.candidate }, { db: ctx.db, now: NOW });
			if (result.status !== 'ok') throw new Error('expected suggestions');
			return result;
		};
		const dutch = await languagesOf(['fr', 'nl']);
		const reasons = Object.fromEntries(
			dutch.villages.map((v) => [v.slug, v.reasons.find((r) => r.criterion === 'languages')])
		);
		expect(reasons).toEqual({
			simorre: {
				criterion: 'languages',
				status: 'met',
				score: 1,
				weight: 1,
				key: 'matching_reason_languages_met',
				values: { count: 2, languages: 'nl' }
			},
			samatan: {
				criterion: 'languages',
				status: 'unmet',
				score: 0,
				weight: 1,
				key: 'matching_reason_languages_none',
				values: { languages: 'nl' }
			}
		});
		expect(JSON.stringify(dutch)).not.toMatch(/anneke|ambassador@|Membre/);
		// French only: the criterion does not apply.
		const french = await languagesOf(['fr']);
		expect(french.villages.flatMap((v) => v.reasons.filter((r) => r.criterion === 'languages'))).toEqual([]);
		// The weight is set with the others; at 0 the criterion no longer counts.
		const { weights } = await getMatchingWeights({ actor: actors.admin }, { db: ctx.db });
		expect(weights.languages).toBe(1);
		await setMatchingWeights({ actor: actors.admin, input: { ...weights, languages: '0' } }, { db: ctx.db });
		const unweighted = await languagesOf(['fr', 'nl']);
		expect(unweighted.villages.find((v) => v.slug === 'simorre')!.reasons.at(-1)).toMatchObject({
			criterion: 'languages',
			weight: 0
		});
	});

	test('a territory without commune data says so instead of an empty list', async () => {
		const { actors, programme } = await setup();
		await ctx.db
			.update(programmesTable)
			.set({ departements: ['65'] })
			.where(eq(programmesTable.id, programme.id));
		expect(await getSuggestions({ actor: actors.candidate }, { db: ctx.db, now: NOW })).toMatchObject({
			status: 'no_commune_data',
			departements: ['65']
		});
	});

	test('household B never sees A’s needs or suggestions; committee members and partners are refused', async () => {
		const { actors, caseA, caseB, candidateB, villages } = await setup();
		await saveNeeds({ actor: actors.candidate, input: form() }, { db: ctx.db, now: NOW });
		await saveSuggestion(
			{ actor: actors.candidate, villageId: villages.simorre.id },
			{ db: ctx.db, now: NOW }
		);

		// B sees only its own (empty) file, and cannot name A's case.
		expect(await getNeeds({ actor: candidateB }, { db: ctx.db })).toMatchObject({
			caseId: caseB.id,
			isFilled: false
		});
		const own = await getSuggestions({ actor: candidateB }, { db: ctx.db, now: NOW });
		expect(own.status === 'ok' && own.saved).toEqual([]);
		for (const call of [
			() => getNeeds({ actor: candidateB, caseId: caseA.id }, { db: ctx.db }),
			() => getSuggestions({ actor: candidateB, caseId: caseA.id }, { db: ctx.db }),
			() => saveNeeds({ actor: candidateB, caseId: caseA.id, input: form() }, { db: ctx.db }),
			() =>
				saveSuggestion(
					{ actor: candidateB, caseId: caseA.id, villageId: villages.simorre.id },
					{ db: ctx.db }
				),
			() =>
				removeSuggestion(
					{ actor: candidateB, caseId: caseA.id, villageId: villages.simorre.id },
					{ db: ctx.db }
				)
		])
			await expectDomainError(call(), 'matching.case_not_found');
		for (const actor of [actors.committee, actors.partner])
			await expectDomainError(
				getNeeds({ actor, caseId: caseA.id }, { db: ctx.db }),
				'matching.case_not_found'
			);
		// Another programme's advisor does not find the case.
		await expectDomainError(
			getNeeds({ actor: actors.otherAdvisor, caseId: caseA.id }, { db: ctx.db }),
			'case.not_found'
		);
		// A's saved village is still A's only.
		const a = await getSuggestions({ actor: actors.candidate }, { db: ctx.db, now: NOW });
		expect(a.status === 'ok' && a.saved.map((s) => s.slug)).toEqual(['simorre']);
	});

	test('the candidate saves and removes suggestions; another programme’s village is refused', async () => {
		const { actors, villages } = await setup();
		const save = (villageId: string) =>
			saveSuggestion({ actor: actors.candidate, villageId }, { db: ctx.db, now: NOW });
		expect(await save(villages.simorre.id)).toEqual({ isAdded: true });
		expect(await save(villages.simorre.id)).toEqual({ isAdded: false });
		expect(await save(villages.samatan.id)).toEqual({ isAdded: true });
		await expectDomainError(save(villages.cahors.id), 'matching.village_not_found');
		await expectDomainError(save('not-an-id'), 'matching.village_not_found');
		expect(
			await removeSuggestion({ actor: actors.candidate, villageId: villages.samatan.id }, { db: ctx.db })
		).toEqual({ isRemoved: true });
		const result = await getSuggestions(
			{ actor: actors.advisor, caseId: (await getNeeds({ actor: actors.candidate }, { db: ctx.db })).caseId },
			{ db: ctx.db, now: NOW }
		);
		expect(result.status === 'ok' && result.saved.map((s) => s.slug)).toEqual(['simorre']);
	});

	test('the advisor proposes a village: the case targets it and its committee is mailed, once', async () => {
		const { actors, caseB, villages, db } = await setup();
		// B applied to Simorre; Samatan is new to the case.
		const first = await proposeVillage(
			{ actor: actors.advisor, caseId: caseB.id, villageId: villages.samatan.id },
			{ db, now: NOW }
		);
		expect(first).toEqual({ notified: 1, isAlreadyTargeted: false });
		const targets = await db
			.select()
			.from(caseTargetVillagesTable)
			.where(eq(caseTargetVillagesTable.caseId, caseB.id));
		expect(targets.map((t) => t.villageId).sort()).toEqual([villages.simorre.id, villages.samatan.id].sort());
		const mails = await db
			.select()
			.from(mailMessagesTable)
			.where(eq(mailMessagesTable.kind, 'case.committee_notified'));
		expect(mails.filter((m) => m.toAddress === 'samatan@gers.example')).toHaveLength(1);
		expect(
			await proposeVillage(
				{ actor: actors.advisor, caseId: caseB.id, villageId: villages.samatan.id },
				{ db, now: NOW }
			)
		).toEqual({ notified: 0, isAlreadyTargeted: true });
		for (const actor of [actors.candidate, actors.committee, actors.partner])
			await expectDomainError(
				proposeVillage({ actor, caseId: caseB.id, villageId: villages.samatan.id }, { db }),
				'matching.propose_forbidden'
			);
	});

	test('admins set the weights, which change the ranking and are audited; advisors only read them', async () => {
		const { actors, programme } = await setup();
		expect((await getMatchingWeights({ actor: actors.advisor }, { db: ctx.db })).weights.connection).toBe(3);
		await expectDomainError(
			setMatchingWeights({ actor: actors.advisor, input: {} }, { db: ctx.db }),
			'matching.weights_forbidden'
		);
		const weights = {
			...(await getMatchingWeights({ actor: actors.admin }, { db: ctx.db })).weights,
			connection: 9
		};
		expect(
			await expectIssuesByField(
				setMatchingWeights({ actor: actors.admin, input: { ...weights, housing: '11' } }, { db: ctx.db })
			)
		).toEqual({ housing: 'matching.weight_invalid' });
		expect(await setMatchingWeights({ actor: actors.admin, input: weights }, { db: ctx.db })).toMatchObject({
			isChanged: true
		});
		expect((await getMatchingWeights({ actor: actors.advisor }, { db: ctx.db })).weights.connection).toBe(9);
		const audit = await ctx.db
			.select()
			.from(auditEntriesTable)
			.where(eq(auditEntriesTable.programmeId, programme.id));
		expect(audit.some((e) => JSON.stringify(e).includes('matching_weights'))).toBe(true);
	});

	test('the demo seed fills the demo candidate’s needs through the service', async () => {
		const { programme, caseB, db } = await setup();
		const [user] = await insertTestUsers(db, {
			name: 'Démo',
			email: 'candidate@demo.soho.example',
			role: 'candidate',
			programmeId: programme.id
		});
		await db.update(casesTable).set({ candidateUserId: user.id }).where(eq(casesTable.id, caseB.id));
		const lines: string[] = [];
		await matchingDemoSeedStep.run({
			db,
			programme,
			config: {} as never,
			log: (line) => lines.push(line)
		});
		const { needs, isFilled } = await getNeeds({ actor: toActor(user) }, { db });
		expect(isFilled).toBe(true);
		expect(needs).toMatchObject({ housingTenure: 'rent', budgetMax: 1000, wantsCoworking: true });
		expect(lines).toHaveLength(1);
	});
});
