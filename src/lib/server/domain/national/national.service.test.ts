import { and, eq } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { CAHORS, GUERET, LAVAL } from './national.test-utils.ts';
import { auditEntriesTable } from '../../db/schema/index.ts';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { expectDomainError, expectIssues } from '../../testing/expectations.ts';
import {
	createTestEvent,
	createTestOffer,
	createTestProgramme,
	createTestUser,
	createTestVillage,
	insertTestCommunes
} from '../../testing/factories.ts';
import { createWorkspace } from '../workspace/workspace.service.ts';
import { suspendProgramme } from '../programme/programme-instance.service.ts';
import { addProgrammeHostBySlug } from '../programme/programme-host.service.ts';
import {
	getNationalPortalSettings,
	setNationalPortalOptInBySlug,
	updateNationalPortalOptIn
} from '../programme-settings/programme-national.service.ts';
import { searchNational } from './national.service.ts';

const DAY = 86_400_000;
const NOW = new Date('2026-03-01T09:00:00Z');
const inDays = (days: number) => new Date(NOW.getTime() + days * DAY);

describeEachDb('national portal search', (ctx) => {
	/** Gers and Lot take part; Creuse does not; Mayenne took part and was suspended. */
	const setup = async () => {
		const db = ctx.db;
		await insertTestCommunes(db);
		await insertTestCommunes(db, [CAHORS, GUERET, LAVAL]);
		const gers = await createTestProgramme(db, { slug: 'gers', name: 'Gers', departements: ['32'] });
		const lot = await createTestProgramme(db, { slug: 'lot', name: 'Lot', departements: ['46'] });
		const creuse = await createTestProgramme(db, { slug: 'creuse', name: 'Creuse', departements: ['23'] });
		const mayenne = await createTestProgramme(db, { slug: 'mayenne', name: 'Mayenne', departements: ['53'] });
		for (const slug of ['gers', 'lot', 'mayenne']) {
			await setNationalPortalOptInBySlug({ slug, input: { isInNationalPortal: 'on' } }, { db });
		}
		await addProgrammeHostBySlug(
			{ slug: 'lot', input: { host: 'lot.example.org', isPrimary: true } },
			{ db }
		);
		const village = (programmeId: string, communeCode: string, extra: object = {}) =>
			createTestVillage(db, {
				programmeId,
				communeCode,
				presentationFr: 'Un village où télétravailler.',
				...extra
			});
		const auch = await village(gers.id, '32013');
		await village(gers.id, '32433', { status: 'prospect' });
		const cahors = await village(lot.id, '46042');
		await village(creuse.id, '23096');
		await village(mayenne.id, '53130');
		await createWorkspace(
			{
				input: {
					programmeId: lot.id,
					communeCode: '46042',
					kind: 'coworking',
					name: 'Tiers-lieu de Cahors',
					descriptionFr: 'Un espace pour télétravailler.'
				}
			},
			{ db }
		);
		const offer = (programmeId: string, communeCode: string, input: object) =>
			createTestOffer(
				db,
				{ programmeId, communeCode, expiresAt: inDays(60), publishedAt: inDays(-1), ...input } as never,
				{ now: NOW }
			);
		const house = await offer(gers.id, '32013', {
			kind: 'house_rent',
			titleFr: 'Maison pour télétravailler',
			price: 700
		});
		const taken = await offer(gers.id, '32013', {
			kind: 'house_rent',
			titleFr: 'Maison louée télétravailler',
			status: 'taken'
		});
		const unpublished = await offer(gers.id, '32013', {
			kind: 'house_rent',
			titleFr: 'Maison bientôt télétravailler',
			publishedAt: inDays(5)
		});
		const secret = await offer(lot.id, '46042', {
			kind: 'business_takeover',
			titleFr: 'Boulangerie Dupont à Cahors',
			isAnonymised: true,
			sector: 'Boulangerie',
			areaLabel: 'Quercy'
		});
		const event = await createTestEvent(db, {
			programmeId: lot.id,
			titleFr: 'Petit-déjeuner du télétravail',
			communeCode: '46042',
			startsAt: inDays(10),
			endsAt: new Date(inDays(10).getTime() + 7_200_000)
		});
		const draft = await createTestEvent(db, {
			programmeId: gers.id,
			titleFr: 'Atelier télétravail en préparation',
			communeCode: '32013',
			status: 'draft',
			startsAt: inDays(10),
			endsAt: new Date(inDays(10).getTime() + 7_200_000)
		});
		await suspendProgramme(
			{ by: 'operator', input: { programme: 'mayenne', reason: 'Fin de convention' } },
			{ db, now: NOW }
		);
		return { gers, lot, creuse, mayenne, auch, cahors, house, taken, unpublished, secret, event, draft };
	};

	test('one search spans the participating programmes and says whose each result is', async () => {
		const s = await setup();
		const result = await searchNational({ q: 'teletravailler', locale: 'fr' }, { db: ctx.db, now: NOW });
		const found = result.hits.map((hit) => `${hit.kind}:${hit.programme.slug}:${hit.title}`);
		expect(found).toEqual(
			expect.arrayContaining([
				'village:gers:Auch',
				'village:lot:Cahors',
				'workspace:lot:Tiers-lieu de Cahors',
				'offer:gers:Maison pour télétravailler'
			])
		);
		expect(result.total).toBe(4);
		expect(result.hits.find((hit) => hit.kind === 'village' && hit.programme.slug === 'gers')?.path).toBe(
			`/villages/${s.auch.slug}`
		);
		expect(result.programmes.map((p) => [p.slug, p.primaryHost])).toEqual([
			['gers', null],
			['lot', 'lot.example.org']
		]);
		const events = await searchNational({ q: 'teletravail', kinds: ['event'] }, { db: ctx.db, now: NOW });
		expect(events.hits.map((hit) => hit.path)).toEqual([`/events/${s.event.id}`]);
		expect(events.hits[0].programme.name).toBe('Lot');
	});

	test('programmes that did not opt in, suspended programmes and unpublished content are never shown', async () => {
		const s = await setup();
		const all = await searchNational({ q: '', limit: 50 }, { db: ctx.db, now: NOW });
		const slugs = new Set(all.hits.map((hit) => hit.programme.slug));
		expect([...slugs].sort()).toEqual(['gers', 'lot']);
		const ids = all.hits.map((hit) => hit.path);
		for (const hidden of [s.taken.id, s.unpublished.id, s.draft.id]) {
			expect(ids.some((path) => path.endsWith(hidden))).toBe(false);
		}
		expect(all.hits.some((hit) => hit.communeName === 'Simorre')).toBe(false);
		expect(all.programmes.map((p) => p.slug)).toEqual(['gers', 'lot']);
		// Asking for them by name finds nothing either.
		for (const programme of ['creuse', 'mayenne']) {
			expect((await searchNational({ q: '', programme }, { db: ctx.db, now: NOW })).total).toBe(0);
		}
		// The unpublished offer shows once published.
		const later = await searchNational({ q: 'bientot', kinds: ['offer'] }, { db: ctx.db, now: inDays(6) });
		expect(later.hits.map((hit) => hit.path)).toEqual([`/offers/${s.unpublished.id}`]);
	});

	test('an anonymised takeover is found by its sector only and shows neither title nor commune', async () => {
		const s = await setup();
		expect((await searchNational({ q: 'dupont' }, { db: ctx.db, now: NOW })).total).toBe(0);
		const { hits } = await searchNational({ q: 'boulangerie' }, { db: ctx.db, now: NOW });
		expect(hits).toHaveLength(1);
		expect(hits[0]).toMatchObject({
			path: `/offers/${s.secret.id}`,
			title: null,
			excerpt: null,
			communeCode: null,
			communeName: 'Quercy',
			position: null,
			isAnonymised: true
		});
	});

	test('filters by kind, programme and région, and pages through the results', async () => {
		await setup();
		const search = (input: object) => searchNational({ q: '', ...input }, { db: ctx.db, now: NOW });
		expect((await search({ kinds: ['village'] })).hits.map((hit) => hit.title)).toEqual(['Auch', 'Cahors']);
		expect((await search({ programme: 'lot' })).hits.every((hit) => hit.programme.slug === 'lot')).toBe(true);
		// Occitanie (76) holds both; Nouvelle-Aquitaine (75) none of theirs.
		expect((await search({ region: '76', kinds: ['village'] })).total).toBe(2);
		expect((await search({ region: '75' })).total).toBe(0);
		expect((await search({})).regions.map((r) => r.code)).toEqual(['76']);
		const first = await search({ limit: 2, page: 1 });
		const second = await search({ limit: 2, page: 2 });
		expect(first.total).toBe(6);
		expect(first.pageCount).toBe(3);
		expect(second.hits).toHaveLength(2);
		expect(second.hits.map((h) => h.path)).not.toEqual(expect.arrayContaining(first.hits.map((h) => h.path)));
		expect((await expectIssues(search({ kinds: ['person'] })))[0]?.code).toBe('national.invalid_kind');
		await expectIssues(search({ region: 'Occitanie' }));
		await expectIssues(search({ page: 0 }));
	});

	test('the map places every result of the search, not only the page, and never an anonymised takeover', async () => {
		await setup();
		const one = await searchNational({ q: '', limit: 1 }, { db: ctx.db, now: NOW });
		expect(one.hits).toHaveLength(1);
		// Auch: its village and its house to rent; Cahors: its village, workspace and event (the
		// anonymised bakery there is counted nowhere on the map).
		expect(one.places.map((p) => [p.kind, p.code, p.name, p.count, p.programmes.map((x) => x.name)])).toEqual(
			[
				['commune', '46042', 'Cahors', 3, ['Lot']],
				['commune', '32013', 'Auch', 2, ['Gers']]
			]
		);
		expect(one.places[0].position).toEqual({ lat: expect.any(Number), lon: expect.any(Number) });
		const offers = await searchNational({ q: 'boulangerie' }, { db: ctx.db, now: NOW });
		expect(offers.total).toBe(1);
		expect(offers.places).toEqual([]);
		const lot = await searchNational({ q: '', programme: 'lot' }, { db: ctx.db, now: NOW });
		expect(lot.places.map((p) => p.code)).toEqual(['46042']);
	});

	test('admins opt their programme in and out, audited; advisors read it; others are refused', async () => {
		const s = await setup();
		const { actor: admin } = await createTestUser(ctx.db, {
			role: 'admin',
			programmeId: s.creuse.id,
			email: 'a@creuse.fr'
		});
		const { actor: advisor } = await createTestUser(ctx.db, {
			role: 'advisor',
			programmeId: s.creuse.id,
			email: 'c@creuse.fr'
		});
		const { actor: committee } = await createTestUser(ctx.db, {
			role: 'committee',
			programmeId: s.creuse.id,
			email: 'm@creuse.fr'
		});
		expect(await getNationalPortalSettings({ actor: advisor }, { db: ctx.db })).toEqual({
			isInNationalPortal: false
		});
		await expectDomainError(
			updateNationalPortalOptIn({ actor: advisor, input: { isInNationalPortal: 'on' } }, { db: ctx.db }),
			'programme_settings.forbidden'
		);
		await expectDomainError(
			getNationalPortalSettings({ actor: committee }, { db: ctx.db }),
			'programme_settings.forbidden'
		);
		await expectIssues(
			updateNationalPortalOptIn({ actor: admin, input: { isInNationalPortal: 'maybe' } }, { db: ctx.db })
		);
		await updateNationalPortalOptIn({ actor: admin, input: { isInNationalPortal: 'on' } }, { db: ctx.db });
		const after = await searchNational({ q: '', programme: 'creuse' }, { db: ctx.db, now: NOW });
		expect(after.hits.map((hit) => hit.title)).toEqual(['Guéret']);
		// The other programme's admin changes only their own programme.
		const { actor: gersAdmin } = await createTestUser(ctx.db, {
			role: 'admin',
			programmeId: s.gers.id,
			email: 'a@gers.fr'
		});
		await updateNationalPortalOptIn(
			{ actor: gersAdmin, input: { isInNationalPortal: 'off' } },
			{ db: ctx.db }
		);
		expect(await getNationalPortalSettings({ actor: advisor }, { db: ctx.db })).toEqual({
			isInNationalPortal: true
		});
		const audit = await ctx.db
			.select({ after: auditEntriesTable.after })
			.from(auditEntriesTable)
			.where(
				and(eq(auditEntriesTable.programmeId, s.creuse.id), eq(auditEntriesTable.action, 'settings_update'))
			);
		expect(audit.map((entry) => entry.after)).toEqual([{ section: 'national', isInNationalPortal: true }]);
	});
});
