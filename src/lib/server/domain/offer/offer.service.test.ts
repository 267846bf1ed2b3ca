import { eq } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { parseConfig } from '../../config.ts';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { mailMessagesTable } from '../../db/schema/index.ts';
import { importConnectivity } from '../connectivity/connectivity.service.ts';
import { resumeProgramme, suspendProgramme } from '../programme/programme-instance.service.ts';
import {
	addCommitteeMember,
	createVillage,
	setProgrammeMetropolePosition
} from '../village/village.service.ts';
import { expectDomainError, expectIssuesByField } from '../../testing/expectations.ts';
import {
	approveOfferDisclosure,
	createOffer,
	expireOffer,
	findOffersExpiringSoon,
	getPublicOffer,
	searchOffers,
	sendOfferExpiryReminders,
	updateOffer
} from './offer.service.ts';
import { createTestProgrammes, createTestOrganisation, createTestUser } from '../../testing/factories.ts';

const config = parseConfig({ VITEST: 'true', ORIGIN: 'https://soho.example' });
const DAY = 86_400_000;
const NOW = new Date('2026-03-01T09:00:00Z');
const inDays = (days: number) => new Date(NOW.getTime() + days * DAY);

describeEachDb('offers', (ctx) => {
	const setup = async () => {
		const db = ctx.db;
		const { programme, other } = await createTestProgrammes(db);
		await setProgrammeMetropolePosition({ programmeId: programme.id, lat: 43.6045, lon: 1.4442 }, { db });
		const village = async (programmeId: string, communeCode: string) =>
			(await createVillage({ input: { programmeId, communeCode } }, { db })).village;
		const simorre = await village(programme.id, '32433');
		const samatan = await village(programme.id, '32410');
		const agency = await createTestOrganisation(db, {
			programmeId: programme.id,
			name: 'Agence',
			kind: 'estate_agent'
		});
		const bank = await createTestOrganisation(db, {
			programmeId: programme.id,
			name: 'Banque',
			kind: 'bank',
			email: 'banque@x.org'
		});
		const user = (role: Parameters<typeof createTestUser>[1]['role'], email: string, extra: object = {}) =>
			createTestUser(db, { role, programmeId: programme.id, email, ...extra });
		const advisor = await user('advisor', 'advisor@x.org');
		const committee = await user('committee', 'maire@x.org', { locale: 'en' });
		const partner = await user('partner', 'agent@x.org', { organisationId: agency.id });
		const candidate = await user('candidate', 'cand@x.org');
		const approved = await user('candidate', 'approved@x.org');
		const member = await user('member', 'member@x.org');
		const otherAdvisor = await createTestUser(db, {
			role: 'advisor',
			programmeId: other.id,
			email: 'lot@x.org'
		});
		await addCommitteeMember({ villageId: simorre.id, userId: committee.user.id, isContact: true }, { db });
		await importConnectivity(
			{ text: '32433;30\n32410;gbit\n32013;100\n32107;8\n', file: 'levels.csv' },
			{ db }
		);

		const base = { programmeId: programme.id, expiresAt: inDays(60) };
		const create = async (actor: typeof advisor | null, input: object) =>
			(await createOffer({ actor: actor?.actor, input: { ...base, ...input } as never }, { db, now: NOW }))
				.offer;
		const offers = {
			houseSimorre: await create(committee, {
				kind: 'house_rent',
				titleFr: 'Maison de village à louer',
				titleEn: 'Village house to rent',
				communeCode: '32433',
				villageId: simorre.id,
				price: 650,
				surfaceM2: 95
			}),
			houseSamatan: await create(partner, {
				kind: 'house_rent',
				titleFr: 'Maison avec jardin',
				communeCode: '32410',
				price: 900,
				surfaceM2: 120
			}),
			houseCondom: await create(advisor, {
				kind: 'house_rent',
				titleFr: 'Maison à Condom',
				communeCode: '32107',
				price: 600,
				surfaceM2: 100
			}),
			saleAuch: await create(partner, {
				kind: 'house_sale',
				titleFr: 'Maison à vendre',
				communeCode: '32013',
				price: 210_000
			}),
			expired: await create(null, {
				kind: 'house_rent',
				titleFr: 'Maison déjà louée',
				communeCode: '32410',
				price: 500,
				publishedAt: inDays(-40),
				expiresAt: inDays(1)
			}),
			takeover: await create(advisor, {
				kind: 'business_takeover',
				titleFr: 'Boulangerie de Samatan',
				descriptionFr: 'Chiffre d’affaires 310 k€, deux salariés.',
				communeCode: '32410',
				organisationId: bank.id,
				price: 180_000,
				isAnonymised: true,
				sector: 'Boulangerie-pâtisserie',
				areaLabel: 'Près de Lombez'
			})
		};
		return {
			programme,
			other,
			simorre,
			samatan,
			agency,
			bank,
			advisor,
			committee,
			partner,
			candidate,
			approved,
			member,
			otherAdvisor,
			offers
		};
	};

	test('filters by kind, maximum price and minimum connection level return the right offers', async () => {
		const { programme, offers } = await setup();
		const search = async (filters: object, now = NOW) =>
			(await searchOffers({ programmeId: programme.id, filters }, { db: ctx.db, now })).offers
				.map((o) => o.id)
				.sort();
		expect(await search({ kinds: ['house_rent'], maxPrice: 800, minConnectionLevel: '30' })).toEqual(
			[offers.houseSimorre.id, offers.expired.id].sort()
		);
		expect(await search({ kinds: ['house_rent'], minConnectionLevel: 'gbit' })).toEqual(
			[offers.houseSamatan.id, offers.expired.id].sort()
		);
		expect(await search({ kinds: ['house_rent'], minSurface: 100 })).toEqual(
			[offers.houseSamatan.id, offers.houseCondom.id].sort()
		);
		expect(await search({ maxDistanceToMetropoleKm: 60 })).toEqual(
			[offers.houseSimorre.id, offers.houseSamatan.id, offers.expired.id].sort()
		);
		expect(await search({ kinds: ['business_takeover'] })).toEqual([offers.takeover.id]);
		// Locating filters never match an anonymised takeover.
		expect(await search({ communeCode: '32410' })).toEqual(
			[offers.houseSamatan.id, offers.expired.id].sort()
		);
	});

	test('a teaser reads only the newest offers with public details, as many as asked', async () => {
		const { programme, offers } = await setup();
		const search = async (input: object) =>
			(await searchOffers({ programmeId: programme.id, ...input }, { db: ctx.db, now: NOW })).offers;
		const all = await search({});
		expect(all.map((o) => o.id)).toContain(offers.takeover.id);
		const withDetails = all.filter((o) => !o.isDetailsHidden);
		expect(withDetails.length).toBeGreaterThan(2);
		expect((await search({ withDetailsOnly: true })).map((o) => o.id)).toEqual(withDetails.map((o) => o.id));
		expect((await search({ withDetailsOnly: true, limit: 2 })).map((o) => o.id)).toEqual(
			withDetails.slice(0, 2).map((o) => o.id)
		);
		expect((await search({ limit: 1 })).map((o) => o.id)).toEqual([all[0].id]);
		// The distance filter is applied after the query: the cut comes after it.
		const near = await search({ filters: { maxDistanceToMetropoleKm: 60 } });
		expect((await search({ filters: { maxDistanceToMetropoleKm: 60 }, limit: 2 })).map((o) => o.id)).toEqual(
			near.slice(0, 2).map((o) => o.id)
		);
		expect(await expectIssuesByField(search({ limit: 0 }))).toEqual({ limit: 'offer.invalid_limit' });
	});

	test('expired offers leave the public search and their public page', async () => {
		const { programme, offers, candidate, committee } = await setup();
		const later = inDays(2);
		const ids = (await searchOffers({ programmeId: programme.id }, { db: ctx.db, now: later })).offers.map(
			(o) => o.id
		);
		expect(ids).not.toContain(offers.expired.id);
		expect(ids).toHaveLength(5);
		await expectDomainError(
			getPublicOffer(
				{ programmeId: programme.id, offerId: offers.expired.id, viewer: candidate.actor },
				{ db: ctx.db, now: later }
			),
			'offer.not_found'
		);
		// Expiring by hand takes the offer off at once; its managers still see it.
		await expireOffer({ actor: committee.actor, offerId: offers.houseSimorre.id }, { db: ctx.db, now: NOW });
		const after = (
			await searchOffers({ programmeId: programme.id }, { db: ctx.db, now: new Date(NOW.getTime() + 1) })
		).offers;
		expect(after.map((o) => o.id)).not.toContain(offers.houseSimorre.id);
		const { offer } = await getPublicOffer(
			{ programmeId: programme.id, offerId: offers.houseSimorre.id, viewer: committee.actor, locale: 'en' },
			{ db: ctx.db, now: new Date(NOW.getTime() + 1) }
		);
		expect(offer.title).toBe('Village house to rent');
	});

	test('the anonymised takeover shows its details only to approved candidates and staff', async () => {
		const { programme, offers, advisor, candidate, approved, partner, committee, member, otherAdvisor } =
			await setup();
		const view = async (viewer: typeof advisor | null) =>
			(
				await getPublicOffer(
					{ programmeId: programme.id, offerId: offers.takeover.id, viewer: viewer?.actor ?? null },
					{ db: ctx.db, now: NOW }
				)
			).offer;
		const hidden = await view(null);
		expect(hidden).toMatchObject({
			isDetailsHidden: true,
			title: null,
			description: null,
			communeCode: null,
			price: null,
			sector: 'Boulangerie-pâtisserie',
			areaLabel: 'Près de Lombez',
			priceBand: { min: 100_000, max: 200_000 }
		});
		const [listed] = (
			await searchOffers(
				{ programmeId: programme.id, filters: { kinds: ['business_takeover'] } },
				{ db: ctx.db, now: NOW }
			)
		).offers;
		expect(listed).toMatchObject({ isDetailsHidden: true, title: null, price: null });

		for (const viewer of [candidate, approved, partner, committee, member, otherAdvisor]) {
			expect((await view(viewer)).isDetailsHidden).toBe(true);
		}
		expect(await view(advisor)).toMatchObject({
			isDetailsHidden: false,
			title: 'Boulangerie de Samatan',
			price: 180_000,
			communeCode: '32410'
		});

		await approveOfferDisclosure(
			{ actor: advisor.actor, offerId: offers.takeover.id, userId: approved.user.id },
			{ db: ctx.db }
		);
		expect(await view(approved)).toMatchObject({
			isDetailsHidden: false,
			description: 'Chiffre d’affaires 310 k€, deux salariés.'
		});
		expect((await view(candidate)).isDetailsHidden).toBe(true);

		await expectDomainError(
			approveOfferDisclosure(
				{ actor: advisor.actor, offerId: offers.houseSamatan.id, userId: candidate.user.id },
				{ db: ctx.db }
			),
			'offer.invalid_disclosure'
		);
		await expectDomainError(
			approveOfferDisclosure(
				{ actor: candidate.actor, offerId: offers.takeover.id, userId: candidate.user.id },
				{ db: ctx.db }
			),
			'offer.not_found'
		);
	});

	test('committee members manage their villages’ offers, partners their organisation’s, others get not_found', async () => {
		const {
			programme,
			offers,
			committee,
			partner,
			advisor,
			candidate,
			member,
			otherAdvisor,
			samatan,
			simorre,
			bank
		} = await setup();
		const edit = (actor: typeof advisor, offerId: string) =>
			updateOffer({ actor: actor.actor, offerId, input: { price: 700 } }, { db: ctx.db, now: NOW });

		expect((await edit(committee, offers.houseSimorre.id)).offer.price).toBe(700);
		await expectDomainError(edit(committee, offers.houseSamatan.id), 'offer.not_found');
		expect((await edit(partner, offers.houseSamatan.id)).offer.price).toBe(700);
		await expectDomainError(edit(partner, offers.houseSimorre.id), 'offer.not_found');
		await expectDomainError(edit(partner, offers.takeover.id), 'offer.not_found');
		for (const id of [offers.houseSimorre.id, offers.houseSamatan.id, offers.takeover.id]) {
			expect((await edit(advisor, id)).offer.price).toBe(700);
			await expectDomainError(edit(otherAdvisor, id), 'offer.not_found');
			await expectDomainError(edit(candidate, id), 'offer.not_found');
			await expectDomainError(edit(member, id), 'offer.not_found');
		}
		// Owners stay within their scope.
		await expectDomainError(
			updateOffer(
				{ actor: committee.actor, offerId: offers.houseSimorre.id, input: { villageId: samatan.id } },
				{ db: ctx.db, now: NOW }
			),
			'offer.invalid_owner'
		);
		await expectDomainError(
			updateOffer(
				{ actor: partner.actor, offerId: offers.houseSamatan.id, input: { organisationId: bank.id } },
				{ db: ctx.db, now: NOW }
			),
			'offer.invalid_owner'
		);
		const input = {
			programmeId: programme.id,
			kind: 'land',
			titleFr: 'Terrain',
			communeCode: '32433',
			expiresAt: inDays(30)
		} as const;
		await expectDomainError(
			createOffer(
				{ actor: committee.actor, input: { ...input, villageId: samatan.id } },
				{ db: ctx.db, now: NOW }
			),
			'offer.invalid_owner'
		);
		await createOffer(
			{ actor: committee.actor, input: { ...input, villageId: simorre.id } },
			{ db: ctx.db, now: NOW }
		);
		await expectDomainError(
			createOffer({ actor: member.actor, input }, { db: ctx.db, now: NOW }),
			'offer.forbidden'
		);
		await expectDomainError(
			createOffer({ actor: candidate.actor, input }, { db: ctx.db, now: NOW }),
			'offer.forbidden'
		);
		await expectDomainError(
			createOffer(
				{ actor: advisor.actor, input: { ...input, expiresAt: inDays(-1) } },
				{ db: ctx.db, now: NOW }
			),
			'offer.invalid_expiry'
		);
	});

	test('staff cannot give an offer a village or an organisation of another programme', async () => {
		const { programme, other, offers, advisor } = await setup();
		const { village: lotVillage } = await createVillage(
			{ input: { programmeId: other.id, communeCode: '32160' } },
			{ db: ctx.db }
		);
		const lotBank = await createTestOrganisation(ctx.db, {
			programmeId: other.id,
			name: 'Banque du Lot',
			kind: 'bank'
		});
		const input = {
			programmeId: programme.id,
			kind: 'land',
			titleFr: 'Terrain',
			communeCode: '32433',
			expiresAt: inDays(30)
		} as const;
		for (const owner of [{ villageId: lotVillage.id }, { organisationId: lotBank.id }]) {
			await expectDomainError(
				createOffer({ actor: advisor.actor, input: { ...input, ...owner } }, { db: ctx.db, now: NOW }),
				'offer.invalid_owner'
			);
			await expectDomainError(
				updateOffer(
					{ actor: advisor.actor, offerId: offers.houseCondom.id, input: owner },
					{ db: ctx.db, now: NOW }
				),
				'offer.invalid_owner'
			);
		}
	});

	test('reminders send exactly one mail per expiring offer, in the owner’s language, and not twice', async () => {
		const { programme, offers, advisor } = await setup();
		// Four offers expire within 7 days: the committee's (English), the agency's, the bank's takeover, the nearly expired one (no owner, no contact).
		for (const offer of [offers.houseSimorre, offers.houseSamatan, offers.takeover]) {
			await updateOffer(
				{ actor: advisor.actor, offerId: offer.id, input: { expiresAt: inDays(5) } },
				{ db: ctx.db, now: NOW }
			);
		}
		expect(
			(await findOffersExpiringSoon({ programmeId: programme.id, withinDays: 7 }, { db: ctx.db, now: NOW }))
				.map((o) => o.id)
				.sort()
		).toEqual([offers.houseSimorre.id, offers.houseSamatan.id, offers.takeover.id, offers.expired.id].sort());
		const first = await sendOfferExpiryReminders({ now: NOW }, { db: ctx.db, config });
		expect(first).toMatchObject({ reminded: 3, withoutRecipient: 1 });
		const mails = await ctx.db
			.select()
			.from(mailMessagesTable)
			.where(eq(mailMessagesTable.kind, 'offer.expiry_reminder'));
		expect(mails.map((m) => m.toAddress).sort()).toEqual(['agent@x.org', 'banque@x.org', 'maire@x.org']);
		const english = mails.find((m) => m.toAddress === 'maire@x.org')!;
		expect(english.subject).toBe('Your listing "Village house to rent" expires on 6 March 2026');
		expect(english.textBody).toContain(`https://soho.example/offers/${offers.houseSimorre.id}`);
		expect(mails.find((m) => m.toAddress === 'agent@x.org')!.subject).toBe(
			'Votre annonce « Maison avec jardin » expire le 6 mars 2026'
		);

		const second = await sendOfferExpiryReminders({ now: inDays(1) }, { db: ctx.db, config });
		expect(second).toMatchObject({ reminded: 0, withoutRecipient: 0 });
		expect(await ctx.db.$count(mailMessagesTable)).toBe(3);

		// Extending an offer re-arms its reminder.
		await updateOffer(
			{ actor: advisor.actor, offerId: offers.houseSamatan.id, input: { expiresAt: inDays(10) } },
			{ db: ctx.db, now: NOW }
		);
		expect((await sendOfferExpiryReminders({ now: inDays(4) }, { db: ctx.db, config })).reminded).toBe(1);
		expect(await ctx.db.$count(mailMessagesTable)).toBe(4);
	});

	test("a suspended programme's expiring offers remind nobody until it is resumed", async () => {
		const { programme, offers, advisor } = await setup();
		await updateOffer(
			{ actor: advisor.actor, offerId: offers.houseSamatan.id, input: { expiresAt: inDays(5) } },
			{ db: ctx.db, now: NOW }
		);
		await suspendProgramme(
			{ by: 'operator', input: { programme: programme.id, reason: 'Convention échue' } },
			{ db: ctx.db }
		);
		expect(await sendOfferExpiryReminders({ now: NOW }, { db: ctx.db, config })).toMatchObject({
			reminded: 0,
			withoutRecipient: 0
		});
		expect(await ctx.db.$count(mailMessagesTable)).toBe(0);
		await resumeProgramme({ by: 'operator', input: { programme: programme.id } }, { db: ctx.db });
		const resumed = await sendOfferExpiryReminders({ now: NOW }, { db: ctx.db, config });
		expect(resumed.offerIds).toContain(offers.houseSamatan.id);
		expect(resumed.reminded).toBeGreaterThan(0);
	});
});
