import { eq } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { parseConfig } from '../../config.ts';
import { describeEachDb } from '../../db/db.test-utils.ts';
import {
	communeConnectivityTable,
	communesTable,
	casesTable,
	mailMessagesTable,
	usersTable,
	offerMatchesTable,
	programmesTable
} from '../../db/schema/index.ts';
import { runDueJobs } from '../../jobs/scheduler.ts';
import { SCHEDULED_JOBS } from '../../jobs/registry.ts';
import { expectDomainError } from '../../testing/expectations.ts';
import { actorOfUserId } from '../../testing/factories.ts';
import { assignAdvisor } from '../case/case.service.ts';
import { moveCaseToStage } from '../case/case-pipeline.service.ts';
import { application, applyOn, setupCaseProgrammes } from '../case/case.test-utils.ts';
import { getSuggestions, saveNeeds } from '../matching/matching.service.ts';
import { createOffer, expireOffer, updateOffer } from '../offer/offer.service.ts';
import { resumeProgramme, suspendProgramme } from '../programme/programme-instance.service.ts';
import {
	getOfferHouseholds,
	getOwnOfferMatches,
	getRecentMatchesOfAdvisor,
	sendOfferMatchDigests,
	setOfferAlerts
} from './offer-match.service.ts';

// 1 March 2030, 08:00 local time: the digests cover that day.
const NOW = new Date(2030, 2, 1, 8, 0);
const TODAY = '2030-03-01';
const TOMORROW = new Date(2030, 2, 2, 8, 0);
const config = parseConfig({ NODE_ENV: 'test' });

/** A household renting a house up to 900 € with 3 rooms at least, in a partner village. */
const renting = (overrides: Record<string, unknown> = {}) => ({
	housingTenure: 'rent',
	budgetMin: '',
	budgetMax: '900',
	housingType: 'house',
	minRooms: '3',
	minSurfaceM2: '',
	minConnection: '',
	children: [],
	maxSchoolKm: '',
	needsChildcare: '',
	isPartnerSeekingJob: '',
	partnerJobSector: '',
	maxStationKm: '',
	maxAirportKm: '',
	maxMetropoleKm: '',
	wantsCoworking: '',
	villagePreference: 'prefer_partner',
	languages: ['fr'],
	...overrides
});

describeEachDb('offer matches: alerts both ways', (ctx) => {
	const apply = applyOn(ctx);

	/** Two households (A targets Simorre, B Samatan, both share with committees) with their accounts. */
	async function setup() {
		const fixtures = await setupCaseProgrammes(ctx.db);
		const { db, programme, actors } = fixtures;
		await db
			.update(programmesTable)
			.set({ metropoleLat: 43.6045, metropoleLon: 1.4442 })
			.where(eq(programmesTable.id, programme.id));
		const place = (code: string, lat: number, lon: number) =>
			db
				.update(communesTable)
				.set({ centroidLat: lat, centroidLon: lon })
				.where(eq(communesTable.code, code));
		await place('32013', 43.6465, 0.5855);
		await place('32435', 43.4497, 0.7347);
		await place('32412', 43.4938, 0.9272);
		await db.insert(communeConnectivityTable).values([
			{ communeCode: '32435', level: 'gbit' },
			{ communeCode: '32412', level: '8' }
		]);
		const a = await apply(programme.id, application(), 'fr');
		const b = await apply(
			programme.id,
			application({
				firstName: 'Joris',
				lastName: 'Vidal',
				email: 'joris.vidal@example.org',
				phone: '06 98 76 54 32',
				villages: ['samatan']
			}),
			'en'
		);
		// Applying created each household's candidate account and linked it to the case.
		const candidateA = await actorOfUserId(db, a.candidateUserId!);
		const candidateB = await actorOfUserId(db, b.candidateUserId!);
		for (const kase of [a.case, b.case])
			await assignAdvisor(
				{ actor: actors.admin, caseId: kase.id, advisorId: actors.advisor.userId },
				{ db, now: NOW }
			);
		return { ...fixtures, caseA: a.case, caseB: b.case, candidateA, candidateB };
	}

	/** A house to rent in Simorre, published by the village's committee member. */
	async function publish(
		fixtures: Awaited<ReturnType<typeof setup>>,
		overrides: { price?: number; rooms?: number; titleFr?: string } = {}
	) {
		const { offer } = await createOffer(
			{
				actor: fixtures.actors.committee,
				input: {
					programmeId: fixtures.programme.id,
					kind: 'house_rent',
					titleFr: overrides.titleFr ?? 'Maison de bourg',
					communeCode: '32435',
					villageId: fixtures.villages.simorre.id,
					price: overrides.price ?? 750,
					rooms: overrides.rooms ?? 4,
					expiresAt: new Date(2030, 5, 1)
				}
			},
			{ db: ctx.db, now: NOW }
		);
		return offer;
	}

	/** The digests queued (applying also mails the household: those are not counted). */
	const digests = async () =>
		(await ctx.db.select().from(mailMessagesTable)).filter((mail) => mail.kind.startsWith('offer_match.'));

	const matchedCases = async (offerId: string) =>
		(await ctx.db.select().from(offerMatchesTable).where(eq(offerMatchesTable.offerId, offerId)))
			.map((row) => row.caseId)
			.sort();

	test('a published offer that fits A’s needs is recorded for A, not B; above the budget it is removed; B’s new needs add it', async () => {
		const fixtures = await setup();
		const { caseA, caseB, candidateA, candidateB, actors } = fixtures;
		await saveNeeds({ actor: candidateA, input: renting() }, { db: ctx.db, now: NOW });
		await saveNeeds(
			{ actor: candidateB, input: renting({ housingTenure: 'buy', budgetMax: '200000' }) },
			{ db: ctx.db, now: NOW }
		);
		const offer = await publish(fixtures);
		expect(await matchedCases(offer.id)).toEqual([caseA.id]);
		const [row] = await ctx.db.select().from(offerMatchesTable);
		expect(row).toMatchObject({ programmeId: fixtures.programme.id, score: 100 });
		expect(row.reasons.map((reason) => reason.key)).toEqual([
			'matching_offer_kind_house_rent',
			'matching_offer_price_within',
			'matching_offer_rooms_met'
		]);

		// Each candidate sees only their own household's matches.
		const own = await getOwnOfferMatches({ actor: candidateA }, { db: ctx.db, now: NOW });
		expect(own.matches.map((match) => match.offerId)).toEqual([offer.id]);
		expect(own.isOfferAlertWanted).toBe(false);
		expect((await getOwnOfferMatches({ actor: candidateB }, { db: ctx.db, now: NOW })).matches).toEqual([]);
		for (const actor of [actors.advisor, actors.committee, actors.partner])
			await expectDomainError(getOwnOfferMatches({ actor }, { db: ctx.db }), 'matching.case_not_found');

		// A rent above A's budget: no longer a match. Back within it: a match again.
		await updateOffer(
			{ actor: actors.advisor, offerId: offer.id, input: { price: 1200 } },
			{ db: ctx.db, now: NOW }
		);
		expect(await matchedCases(offer.id)).toEqual([]);
		await updateOffer(
			{ actor: actors.advisor, offerId: offer.id, input: { price: 850 } },
			{ db: ctx.db, now: NOW }
		);
		expect(await matchedCases(offer.id)).toEqual([caseA.id]);
		// A text change does not re-evaluate; a taken offer matches nobody.
		await updateOffer(
			{ actor: actors.advisor, offerId: offer.id, input: { titleFr: 'Maison du bourg' } },
			{ db: ctx.db, now: NOW }
		);
		expect(await matchedCases(offer.id)).toEqual([caseA.id]);

		// B's needs change to renting: the offer is now theirs too; back to buying, it goes.
		await saveNeeds({ actor: candidateB, input: renting({ budgetMax: '1000' }) }, { db: ctx.db, now: NOW });
		expect(await matchedCases(offer.id)).toEqual([caseA.id, caseB.id].sort());
		await saveNeeds(
			{ actor: candidateB, input: renting({ housingTenure: 'buy', budgetMax: '200000' }) },
			{ db: ctx.db, now: NOW }
		);
		expect(await matchedCases(offer.id)).toEqual([caseA.id]);

		// An installed household is not looking any more: re-evaluated, it keeps no match.
		await moveCaseToStage(
			{
				actor: actors.advisor,
				caseId: caseA.id,
				stage: 'installed',
				installedOn: '2030-02-20',
				installedCommuneCode: '32435'
			},
			{ db: ctx.db, now: NOW }
		);
		await saveNeeds({ actor: actors.advisor, caseId: caseA.id, input: renting() }, { db: ctx.db, now: NOW });
		expect(await matchedCases(offer.id)).toEqual([]);

		// Expired: off the portal, no match.
		await saveNeeds({ actor: candidateB, input: renting({ budgetMax: '1000' }) }, { db: ctx.db, now: NOW });
		expect(await matchedCases(offer.id)).toEqual([caseB.id]);
		await expireOffer({ actor: actors.advisor, offerId: offer.id }, { db: ctx.db, now: NOW });
		expect(await matchedCases(offer.id)).toEqual([]);
	});

	test('a change of needs re-ranks the suggestions: other reasons, other villages', async () => {
		const fixtures = await setup();
		const { candidateA } = fixtures;
		await publish(fixtures);
		await saveNeeds({ actor: candidateA, input: renting() }, { db: ctx.db, now: NOW });
		const before = await getSuggestions({ actor: candidateA }, { db: ctx.db, now: NOW });
		if (before.status !== 'ok') throw new Error('expected suggestions');
		expect(before.villages.map((v) => v.slug)).toEqual(['simorre', 'samatan']);
		expect(before.villages[0].reasons.map((r) => r.key)).toContain('matching_reason_housing_offers');

		// A smaller budget and fibre required: Simorre's house no longer fits, Samatan is set aside.
		await saveNeeds(
			{ actor: candidateA, input: renting({ budgetMax: '600', minConnection: '100' }) },
			{ db: ctx.db, now: NOW }
		);
		const after = await getSuggestions({ actor: candidateA }, { db: ctx.db, now: NOW });
		if (after.status !== 'ok') throw new Error('expected suggestions');
		expect(after.villages.map((v) => v.slug)).toEqual(['simorre']);
		expect(after.excluded.connection).toBe(1);
		expect(after.villages[0].reasons.map((r) => r.key)).toContain('matching_reason_housing_none');
		expect(after.villages[0].score).toBeLessThan(before.villages[0].score);
		expect((await getOwnOfferMatches({ actor: candidateA }, { db: ctx.db, now: NOW })).matches).toEqual([]);
	});

	test('the daily digest: one mail per opted-in candidate and one per advisor a day, none to others, none twice', async () => {
		const fixtures = await setup();
		const { caseA, caseB, candidateA, candidateB, actors } = fixtures;
		// Without saved needs there is nothing to be alerted of.
		await expectDomainError(
			setOfferAlerts({ actor: candidateA, isWanted: true }, { db: ctx.db }),
			'offer_match.needs_not_filled'
		);
		await expectDomainError(
			setOfferAlerts({ actor: actors.advisor, isWanted: true }, { db: ctx.db }),
			'matching.case_not_found'
		);
		await saveNeeds({ actor: candidateA, input: renting() }, { db: ctx.db, now: NOW });
		await saveNeeds({ actor: candidateB, input: renting({ budgetMax: '1000' }) }, { db: ctx.db, now: NOW });
		// A opts in; B does not (off by default).
		expect(await setOfferAlerts({ actor: candidateA, isWanted: true }, { db: ctx.db })).toEqual({
			isOfferAlertWanted: true
		});
		// Staff saving the needs leave the household's choice as it is.
		await saveNeeds({ actor: actors.advisor, caseId: caseA.id, input: renting() }, { db: ctx.db, now: NOW });
		expect(
			(await getOwnOfferMatches({ actor: candidateA }, { db: ctx.db, now: NOW })).isOfferAlertWanted
		).toBe(true);
		const offer = await publish(fixtures);
		expect(await matchedCases(offer.id)).toEqual([caseA.id, caseB.id].sort());

		expect(await sendOfferMatchDigests({ now: NOW }, { db: ctx.db, config })).toEqual({
			day: TODAY,
			candidates: 1,
			advisors: 1,
			alreadySent: 0
		});
		const mails = await digests();
		const toA = mails.find((mail) => mail.toAddress === 'helene.garnier@example.org')!;
		expect(toA.kind).toBe('offer_match.candidate_digest');
		expect(toA.subject).toBe('1 nouvelle offre pour votre projet');
		expect(toA.textBody).toContain('Maison de bourg (Simorre');
		expect(toA.textBody).toContain('dans votre budget de 900');
		expect(toA.textBody).toContain(`/offers/${offer.id}`);
		expect(toA.textBody).toContain('/space/suggestions');
		expect(mails.some((mail) => mail.toAddress === 'joris.vidal@example.org')).toBe(false);
		const toAdvisor = mails.find((mail) => mail.toAddress === 'advisor@gers.example')!;
		expect(toAdvisor.kind).toBe('offer_match.advisor_digest');
		expect(toAdvisor.textBody).toContain(caseA.reference);
		expect(toAdvisor.textBody).toContain(caseB.reference);
		expect(toAdvisor.textBody).toContain(`/backoffice/cases/${caseB.id}`);
		expect(mails).toHaveLength(2);

		// Run again the same day: nothing new, nothing sent.
		expect(await sendOfferMatchDigests({ now: NOW }, { db: ctx.db, config })).toMatchObject({
			candidates: 0,
			advisors: 0
		});
		// A second offer the same day waits for tomorrow: today's digests are claimed.
		const second = await publish(fixtures, { titleFr: 'Longère', price: 800 });
		expect(await sendOfferMatchDigests({ now: NOW }, { db: ctx.db, config })).toMatchObject({
			candidates: 0,
			advisors: 0,
			alreadySent: 2
		});
		expect(await digests()).toHaveLength(2);
		expect(await sendOfferMatchDigests({ now: TOMORROW }, { db: ctx.db, config })).toMatchObject({
			candidates: 1,
			advisors: 1
		});
		const next = (await digests()).filter((mail) => mail.toAddress === 'helene.garnier@example.org');
		expect(next).toHaveLength(2);
		expect(
			next.some(
				(mail) =>
					mail.textBody.includes(`/offers/${second.id}`) && !mail.textBody.includes(`/offers/${offer.id}`)
			)
		).toBe(true);

		// The advisor's dashboard lists the new matches of their households.
		const recent = await getRecentMatchesOfAdvisor({ actor: actors.advisor }, { db: ctx.db, now: NOW });
		expect(recent.matches.map((match) => match.reference).sort()).toEqual(
			[caseA.reference, caseA.reference, caseB.reference, caseB.reference].sort()
		);
		expect(
			(await getRecentMatchesOfAdvisor({ actor: actors.committee }, { db: ctx.db, now: NOW })).matches
		).toEqual([]);
	});

	test("a suspended programme's matches reach no digest; once it is resumed they do", async () => {
		const fixtures = await setup();
		const { programme, candidateA } = fixtures;
		await saveNeeds({ actor: candidateA, input: renting() }, { db: ctx.db, now: NOW });
		await setOfferAlerts({ actor: candidateA, isWanted: true }, { db: ctx.db });
		await publish(fixtures);
		await suspendProgramme(
			{ by: 'operator', input: { programme: programme.id, reason: 'Convention échue' } },
			{ db: ctx.db }
		);
		expect(await sendOfferMatchDigests({ now: NOW }, { db: ctx.db, config })).toMatchObject({
			candidates: 0,
			advisors: 0,
			alreadySent: 0
		});
		expect(await digests()).toHaveLength(0);
		await resumeProgramme({ by: 'operator', input: { programme: programme.id } }, { db: ctx.db });
		expect(await sendOfferMatchDigests({ now: NOW }, { db: ctx.db, config })).toMatchObject({
			candidates: 1,
			advisors: 1
		});
	});

	test('a household nobody holds yet is told to the programme’s admins, not to an advisor nor a committee member', async () => {
		const fixtures = await setup();
		const { caseA, caseB, candidateA, candidateB, actors } = fixtures;
		await ctx.db.update(casesTable).set({ advisorId: null }).where(eq(casesTable.id, caseB.id));
		await saveNeeds({ actor: candidateA, input: renting() }, { db: ctx.db, now: NOW });
		await saveNeeds({ actor: candidateB, input: renting({ budgetMax: '1000' }) }, { db: ctx.db, now: NOW });
		const offer = await publish(fixtures);
		expect(await matchedCases(offer.id)).toEqual([caseA.id, caseB.id].sort());
		expect(await sendOfferMatchDigests({ now: NOW }, { db: ctx.db, config })).toMatchObject({
			candidates: 0,
			advisors: 2
		});
		const emailOf = async (userId: string) =>
			(await ctx.db.select().from(usersTable).where(eq(usersTable.id, userId)))[0].email;
		const mails = await digests();
		const committeeEmail = await emailOf(actors.committee.userId);
		expect(mails).toHaveLength(2);
		const toAdvisor = mails.find((mail) => mail.toAddress === 'advisor@gers.example')!;
		expect(toAdvisor.textBody).toContain(caseA.reference);
		expect(toAdvisor.textBody).not.toContain(caseB.reference);
		const adminMail = mails.find((mail) => mail !== toAdvisor)!;
		expect(adminMail.toAddress).toBe(await emailOf(actors.admin.userId));
		expect(adminMail.textBody).toContain(`Dossier ${caseB.reference} (sans conseiller)`);
		expect(adminMail.textBody).toContain('vous les recevez en tant qu’administrateur');
		expect(adminMail.textBody).not.toContain(caseA.reference);
		expect(mails.some((mail) => mail.toAddress === committeeEmail)).toBe(false);
	});

	test('an offer published with a later date is matched when its day comes, and told in that day’s digest', async () => {
		const fixtures = await setup();
		const { caseA, candidateA } = fixtures;
		await saveNeeds({ actor: candidateA, input: renting() }, { db: ctx.db, now: NOW });
		await setOfferAlerts({ actor: candidateA, isWanted: true }, { db: ctx.db });
		const { offer } = await createOffer(
			{
				actor: fixtures.actors.committee,
				input: {
					programmeId: fixtures.programme.id,
					kind: 'house_rent',
					titleFr: 'Maison publiée demain',
					communeCode: '32435',
					villageId: fixtures.villages.simorre.id,
					price: 750,
					rooms: 4,
					publishedAt: TOMORROW,
					expiresAt: new Date(2030, 5, 1)
				}
			},
			{ db: ctx.db, now: NOW }
		);
		// Not on the portal yet: it matches nobody, and today's digest says nothing of it.
		expect(await matchedCases(offer.id)).toEqual([]);
		expect(await sendOfferMatchDigests({ now: NOW }, { db: ctx.db, config })).toMatchObject({
			candidates: 0
		});
		// Its day comes without anyone saving it: the digest matches it first, then tells A.
		const later = new Date(2030, 2, 2, 9, 0);
		expect(await sendOfferMatchDigests({ now: later }, { db: ctx.db, config })).toMatchObject({
			candidates: 1,
			advisors: 1
		});
		expect(await matchedCases(offer.id)).toContain(caseA.id);
		const toA = (await digests()).find((mail) => mail.toAddress === 'helene.garnier@example.org')!;
		expect(toA.textBody).toContain(`/offers/${offer.id}`);
		// The next day, the offer is not told again.
		const dayAfter = new Date(2030, 2, 3, 9, 0);
		expect(await sendOfferMatchDigests({ now: dayAfter }, { db: ctx.db, config })).toMatchObject({
			candidates: 0,
			advisors: 0
		});
	});

	test('the scheduler runs the digest once a day', async () => {
		const fixtures = await setup();
		await saveNeeds({ actor: fixtures.candidateA, input: renting() }, { db: ctx.db, now: NOW });
		await setOfferAlerts({ actor: fixtures.candidateA, isWanted: true }, { db: ctx.db });
		await publish(fixtures);
		const run = await runDueJobs(
			{ now: NOW, only: ['offer_matches.daily_digest'] },
			{ db: ctx.db, config, jobs: SCHEDULED_JOBS }
		);
		expect(run).toEqual([{ job: 'offer_matches.daily_digest', period: TODAY, status: 'done' }]);
		expect(await digests()).toHaveLength(2);
	});

	test('matching households on the offer: staff see all, a committee member only those of their villages, others nothing', async () => {
		const fixtures = await setup();
		const { caseA, caseB, candidateA, candidateB, actors } = fixtures;
		await saveNeeds({ actor: candidateA, input: renting() }, { db: ctx.db, now: NOW });
		await saveNeeds({ actor: candidateB, input: renting({ budgetMax: '1000' }) }, { db: ctx.db, now: NOW });
		const offer = await publish(fixtures);

		const staff = await getOfferHouseholds({ actor: actors.advisor, offerId: offer.id }, { db: ctx.db });
		expect(staff.households.map((h) => h.caseId).sort()).toEqual([caseA.id, caseB.id].sort());
		expect(staff.households.find((h) => h.caseId === caseA.id)).toMatchObject({
			name: 'Hélène Garnier',
			score: 100
		});
		// Simorre's committee manages the offer but sees only A, who targets Simorre (B targets Samatan).
		const committee = await getOfferHouseholds(
			{ actor: actors.committee, offerId: offer.id },
			{ db: ctx.db }
		);
		expect(committee.households.map((h) => h.caseId)).toEqual([caseA.id]);
		// Samatan's committee, the partner, candidates and another programme cannot see the offer at all.
		for (const actor of [actors.otherCommittee, actors.partner, candidateA, actors.otherAdvisor])
			await expectDomainError(
				getOfferHouseholds({ actor, offerId: offer.id }, { db: ctx.db }),
				'offer.not_found'
			);
		await expectDomainError(
			getOfferHouseholds({ actor: actors.advisor, offerId: 'nonsense' }, { db: ctx.db }),
			'offer.not_found'
		);
	});
});
