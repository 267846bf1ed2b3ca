import { inArray } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { communesTable, villagesTable } from '../../db/schema/index.ts';
import { isDomainError } from '../../errors.ts';
import { createUser, toActor } from '../account/account.service.ts';
import { updateLegalNotice, updateTexts } from '../programme-settings/programme-settings.service.ts';
import { getProgrammeChecklist, PROGRAMME_CHECKLIST } from './programme-checklist.service.ts';
import { createProgramme } from './programme.service.ts';
import { createTestProgramme, insertTestCommunes, createTestVillage } from '../../testing/factories.ts';

const square = {
	type: 'Polygon' as const,
	coordinates: [
		[
			[0.5, 43.5],
			[0.51, 43.5],
			[0.51, 43.51],
			[0.5, 43.5]
		]
	]
};

describeEachDb('the first-steps checklist of a new programme', (ctx) => {
	async function setUp() {
		const { programme } = await createProgramme(
			{ input: { slug: 'gers', name: 'Gers', departements: ['32'], metropoleCode: '31555' } },
			{ db: ctx.db }
		);
		await insertTestCommunes(ctx.db, [
			{ code: '32013', name: 'Auch', departementCode: '32' },
			{ code: '32107', name: 'Condom', departementCode: '32' }
		]);
		const { user } = await createUser(
			{ input: { email: 'admin@gers.example', name: 'Admin', role: 'admin', programmeId: programme.id } },
			{ db: ctx.db }
		);
		return { programme, admin: toActor(user) };
	}
	const status = async (admin: ReturnType<typeof toActor>) => {
		const { items, isComplete } = await getProgrammeChecklist({ actor: admin }, { db: ctx.db });
		return { done: Object.fromEntries(items.map((item) => [item.id, item.isDone])), isComplete, items };
	};

	test('a new programme has every step to do, each linking to the page that does it', async () => {
		const { admin } = await setUp();
		const { items, isComplete } = await status(admin);
		expect(isComplete).toBe(false);
		expect(items).toEqual([
			{ id: 'outlines', href: '/backoffice/territory', isDone: false },
			{ id: 'villages', href: '/backoffice/villages', isDone: false },
			{ id: 'team', href: '/backoffice/people', isDone: false },
			{ id: 'home_page', href: '/backoffice/settings', isDone: false },
			{ id: 'legal_notice', href: '/backoffice/settings', isDone: false }
		]);
	});

	test('steps are done when the data is there: every outline, a partner village, another team account', async () => {
		const { programme, admin } = await setUp();
		await ctx.db
			.update(communesTable)
			.set({ geometry: square })
			.where(inArray(communesTable.code, ['32013']));
		expect((await status(admin)).done.outlines).toBe(false);
		await ctx.db.update(communesTable).set({ geometry: square });
		expect((await status(admin)).done.outlines).toBe(true);

		await createTestVillage(ctx.db, {
			programmeId: programme.id,
			communeCode: '32107',
			slug: 'condom',
			status: 'prospect'
		});
		expect((await status(admin)).done.villages).toBe(false);
		await ctx.db.update(villagesTable).set({ status: 'partner' });
		expect((await status(admin)).done.villages).toBe(true);

		// A candidate is not the team; an advisor is.
		await createUser(
			{ input: { email: 'c@gers.example', name: 'Candidate', role: 'candidate', programmeId: programme.id } },
			{ db: ctx.db }
		);
		expect((await status(admin)).done.team).toBe(false);
		await createUser(
			{ input: { email: 'a@gers.example', name: 'Advisor', role: 'advisor', programmeId: programme.id } },
			{ db: ctx.db }
		);
		const after = await status(admin);
		expect(after.done).toEqual({
			outlines: true,
			villages: true,
			team: true,
			home_page: false,
			legal_notice: false
		});
		expect(after.isComplete).toBe(false);

		// The settings area decides the last two steps.
		await updateTexts(
			{
				actor: admin,
				input: {
					homeTitle: { fr: 'Venez vivre dans le Gers', en: 'Come and live in the Gers' },
					homeIntro: { fr: 'Un accueil sur mesure.', en: 'A welcome made to measure.' },
					howItWorks: { fr: '', en: '' },
					faq: []
				}
			},
			{ db: ctx.db }
		);
		expect((await status(admin)).done.home_page).toBe(true);
		await updateLegalNotice(
			{
				actor: admin,
				input: {
					publisher: 'Chambre de commerce du Gers',
					address: '2 rue du Lycée, 32000 Auch',
					registration: 'SIREN 183 200 017',
					director: 'Anne Martin',
					hostName: 'Hébergeur Exemple SAS',
					hostAddress: '1 quai de la Donnée, 59100 Roubaix'
				}
			},
			{ db: ctx.db }
		);
		const done = await status(admin);
		expect(done.done.legal_notice).toBe(true);
		expect(done.isComplete).toBe(true);
	});

	test('another programme’s villages and team do not count', async () => {
		const { admin } = await setUp();
		const lot = await createTestProgramme(ctx.db, { slug: 'lot', name: 'Lot', departements: ['46'] });
		await insertTestCommunes(ctx.db, { code: '46042', name: 'Cahors', departementCode: '46' });
		await createTestVillage(ctx.db, { programmeId: lot.id, communeCode: '46042', slug: 'cahors' });
		for (const email of ['a@lot.example', 'b@lot.example']) {
			await createUser(
				{ input: { email, name: 'Lot', role: 'advisor', programmeId: lot.id } },
				{ db: ctx.db }
			);
		}
		const { done } = await status(admin);
		expect([done.villages, done.team]).toEqual([false, false]);
	});

	test('the checklist is the admin’s: an advisor is refused; more checks plug into the registry', async () => {
		const { programme, admin } = await setUp();
		const { user } = await createUser(
			{ input: { email: 'a@gers.example', name: 'Advisor', role: 'advisor', programmeId: programme.id } },
			{ db: ctx.db }
		);
		const error = await getProgrammeChecklist({ actor: toActor(user) }, { db: ctx.db }).catch((e) => e);
		expect(isDomainError(error, 'programme.forbidden')).toBe(true);

		const checks = [
			...PROGRAMME_CHECKLIST.slice(0, 1),
			{ id: 'named', href: '/backoffice/settings', isDone: async ({ programme: p }) => p.name === 'Gers' }
		] satisfies typeof PROGRAMME_CHECKLIST;
		const { items } = await getProgrammeChecklist({ actor: admin }, { db: ctx.db, checks });
		expect(items.map((i) => [i.id, i.isDone])).toEqual([
			['outlines', false],
			['named', true]
		]);
	});
});
