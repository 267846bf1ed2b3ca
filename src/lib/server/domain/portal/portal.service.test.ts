import { eq } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { communesTable, programmesTable } from '../../db/schema/index.ts';
import { createOffer } from '../offer/offer.service.ts';
import { createVillage } from '../village/village.service.ts';
import { createWorkspace } from '../workspace/workspace.service.ts';
import { findMetropoleName, getPortalKeyFigures, searchPortal } from './portal.service.ts';
import { createTestProgrammes, insertTestCommunes } from '../../testing/factories.ts';

const DAY = 86_400_000;
const NOW = new Date('2026-03-01T09:00:00Z');
const inDays = (days: number) => new Date(NOW.getTime() + days * DAY);

describeEachDb('portal search and key figures', (ctx) => {
	const setup = async () => {
		const db = ctx.db;
		const { programme, other } = await createTestProgrammes(db);
		// Accented names, as in the official code: the search must not need the accents.
		await db.update(communesTable).set({ name: 'Éauze' }).where(eq(communesTable.code, '32119'));
		await insertTestCommunes(db, { code: '32252', name: 'Miélan', departementCode: '32', population: 1194 });
		const village = async (programmeId: string, communeCode: string, extra: object = {}) =>
			(await createVillage({ input: { programmeId, communeCode, ...extra } }, { db })).village;
		const eauze = await village(programme.id, '32119', {
			presentationFr: 'Capitale de l’Armagnac, **marché** le jeudi.',
			presentationEn: 'Capital of Armagnac, **market** on Thursdays.',
			isDemo: true
		});
		await village(programme.id, '32252', { presentationFr: 'Bastide au bord du lac.' });
		await village(programme.id, '32433', { status: 'prospect', presentationFr: 'Éauze est loin.' });
		await village(other.id, '32107', { presentationFr: 'Éauze, dans un autre programme.' });
		await createWorkspace(
			{
				input: {
					programmeId: programme.id,
					communeCode: '32119',
					kind: 'coworking',
					name: 'La Fabrique d’Éauze',
					equipment: ['Imprimante 3D', 'Salle de réunion'],
					descriptionFr: 'Un espace de travail partagé.',
					descriptionEn: 'A shared workspace.'
				}
			},
			{ db }
		);
		const base = { programmeId: programme.id, expiresAt: inDays(60), publishedAt: inDays(-1) };
		const offer = async (input: object) =>
			(await createOffer({ input: { ...base, ...input } as never }, { db, now: NOW })).offer;
		const house = await offer({
			kind: 'house_rent',
			titleFr: 'Maison de maître à louer',
			titleEn: 'Mansion to rent',
			descriptionFr: 'Grande maison avec jardin.',
			communeCode: '32119',
			price: 850
		});
		const secret = await offer({
			kind: 'business_takeover',
			titleFr: 'Boulangerie rue Principale à Éauze',
			communeCode: '32119',
			price: 120_000,
			isAnonymised: true,
			sector: 'Boulangerie',
			areaLabel: 'Armagnac'
		});
		const expired = await offer({
			kind: 'house_rent',
			titleFr: 'Maison expirée à Éauze',
			communeCode: '32119',
			expiresAt: inDays(2)
		});
		const taken = await offer({
			kind: 'land',
			titleFr: 'Terrain vendu à Éauze',
			communeCode: '32119',
			status: 'taken'
		});
		return { programme, other, eauze, house, secret, expired, taken };
	};

	test('"eauze" finds Éauze, its workspace and its public offers, accents and case ignored', async () => {
		const { programme, eauze, house, expired, taken } = await setup();
		for (const q of ['eauze', 'ÉAUZE', 'Eauze', '  éauze ']) {
			const result = await searchPortal(
				{ programmeId: programme.id, q, locale: 'en' },
				{ db: ctx.db, now: NOW }
			);
			// Éauze first: its name matches; the prospect village that mentions Éauze is not public.
			expect(
				result.villages.map((v) => v.slug),
				q
			).toEqual([eauze.slug]);
			expect(
				result.workspaces.map((w) => w.name),
				q
			).toEqual(['La Fabrique d’Éauze']);
			expect(
				result.offers.map((o) => o.id),
				q
			).toContain(house.id);
			expect(
				result.offers.map((o) => o.id),
				q
			).not.toContain(taken.id);
		}
		const later = await searchPortal(
			{ programmeId: programme.id, q: 'eauze', locale: 'en' },
			{ db: ctx.db, now: inDays(3) }
		);
		expect(later.offers.map((o) => o.id)).toEqual([house.id]);
		expect(later.offers.map((o) => o.id)).not.toContain(expired.id);
	});

	test('every word must be found, in either language, and texts come back in the reader’s language', async () => {
		const { programme, house } = await setup();
		const search = (q: string, locale: 'fr' | 'en' = 'fr') =>
			searchPortal({ programmeId: programme.id, q, locale }, { db: ctx.db, now: NOW });
		expect((await search('mielan')).villages.map((v) => v.name)).toEqual(['Miélan']);
		expect((await search('market armagnac', 'en')).villages[0]?.excerpt).toBe(
			'Capital of Armagnac, market on Thursdays.'
		);
		expect((await search('marché armagnac', 'en')).villages).toHaveLength(1);
		expect((await search('marché lac')).villages).toEqual([]);
		const mansion = (await search('mansion', 'en')).offers;
		expect(mansion.map((o) => [o.id, o.title])).toEqual([[house.id, 'Mansion to rent']]);
		expect((await search('imprimante 3d')).workspaces).toHaveLength(1);
		expect((await search('x')).terms).toEqual([]);
		expect((await search('100%_')).villages).toEqual([]);
	});

	test('an anonymised takeover is found by its sector and area only, and shows nothing else', async () => {
		const { programme, secret } = await setup();
		const search = (q: string) =>
			searchPortal({ programmeId: programme.id, q, locale: 'fr' }, { db: ctx.db, now: NOW });
		const bySector = (await search('boulangerie')).offers;
		expect(bySector.map((o) => o.id)).toEqual([secret.id]);
		expect(bySector[0]).toMatchObject({
			title: null,
			communeCode: null,
			communeName: null,
			price: null,
			excerpt: null,
			sector: 'Boulangerie',
			areaLabel: 'Armagnac',
			isAnonymised: true
		});
		expect((await search('rue principale')).offers).toEqual([]);
		expect((await search('eauze')).offers.map((o) => o.id)).not.toContain(secret.id);
	});

	test('the search never leaves the programme', async () => {
		const { other } = await setup();
		const result = await searchPortal({ programmeId: other.id, q: 'eauze' }, { db: ctx.db, now: NOW });
		expect(result.villages.map((v) => v.name)).toEqual(['Condom']);
		expect(result.workspaces).toEqual([]);
		expect(result.offers).toEqual([]);
	});

	test('key figures count partner villages, workspaces and offers public now', async () => {
		const { programme, other } = await setup();
		const { figures } = await getPortalKeyFigures({ programmeId: programme.id }, { db: ctx.db, now: NOW });
		expect(figures).toEqual({ partnerVillages: 2, workspaces: 1, availableOffers: 3 });
		const later = await getPortalKeyFigures({ programmeId: programme.id }, { db: ctx.db, now: inDays(3) });
		expect(later.figures.availableOffers).toBe(2);
		const lot = await getPortalKeyFigures({ programmeId: other.id }, { db: ctx.db, now: NOW });
		expect(lot.figures).toEqual({ partnerVillages: 1, workspaces: 0, availableOffers: 0 });
	});

	test('the metropole is named from the official code when its commune is not imported', async () => {
		const { programme, other } = await setup();
		expect(await findMetropoleName({ programmeId: programme.id }, { db: ctx.db })).toEqual({
			name: 'Toulouse'
		});
		expect(await findMetropoleName({ programmeId: other.id }, { db: ctx.db })).toEqual({ name: null });
		await ctx.db
			.update(programmesTable)
			.set({ metropoleCode: '32013' })
			.where(eq(programmesTable.id, programme.id));
		expect(await findMetropoleName({ programmeId: programme.id }, { db: ctx.db })).toEqual({ name: 'Auch' });
	});
});
