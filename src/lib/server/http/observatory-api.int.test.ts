import { expect, test } from 'vitest';
import { describeEachDb } from '../db/db.test-utils.ts';
import {
	createObservatoryToken,
	revokeObservatoryToken
} from '../domain/observatory/observatory-token.service.ts';
import { observatorySectionNames } from '../domain/observatory/observatory-report.service.ts';
import {
	seedObservatoryProgramme,
	type TestHousehold
} from '../domain/observatory/observatory.test-utils.ts';
import { handleObservatoryApi, type ObservatoryApiRequest } from './observatory-api.ts';

const NOW = new Date('2026-11-26T09:00:00Z');
const ORIGIN = 'https://soho.example';

const HOUSEHOLDS: TestHousehold[] = [
	{ contact: '2024-01-10', stages: { qualified: '2024-01-20' }, installedOn: '2024-06-01', commune: '32013' },
	{ contact: '2025-03-01', source: 'phone' },
	{ contact: '2025-05-01', stages: { abandoned: '2025-06-01' }, abandonedReason: 'Pas de logement' }
];

async function call(
	db: Parameters<typeof handleObservatoryApi>[1]['db'],
	path: string,
	request: Partial<ObservatoryApiRequest> = {}
) {
	const url = new URL(path, ORIGIN);
	const section = url.pathname.replace(/^\/api\/v1\/observatory\/?/, '') || undefined;
	const response = await handleObservatoryApi(
		{ url, authorization: null, actor: null, locale: 'en', section, ...request },
		{ db, now: NOW }
	);
	return { status: response.status, headers: response.headers, body: await response.json() };
}

describeEachDb('observatory JSON API', (ctx) => {
	test('a funder’s token reads every registered section in one envelope, with definitions', async () => {
		// Hand-computed figures of a few households, read as a committee member or funder: the
		// minimum cell size is off here (disclosure.service.test.ts tests it).
		const { actors } = await seedObservatoryProgramme(ctx.db, HOUSEHOLDS, { minCellSize: 1 });
		const { token } = await createObservatoryToken(
			{ actor: actors.admin, input: { label: 'Région' } },
			{ db: ctx.db, now: NOW }
		);
		const authorization = `Bearer ${token}`;
		const index = await call(ctx.db, '/api/v1/observatory?from=2024&to=2025', { authorization });
		expect(index.status).toBe(200);
		expect(index.headers.get('cache-control')).toBe('private, no-store');
		expect(index.body.programme).toEqual({ slug: 'gers', name: 'Programme gers', synthetic: false });
		expect(index.body.period).toEqual({ from: 2024, to: 2025 });
		expect(index.body.definitions).toBe(`${ORIGIN}/backoffice/observatory/definitions`);
		expect(index.body.sections.map((s: { name: string }) => s.name)).toEqual(observatorySectionNames());
		expect(index.body.sections[0].href).toBe(
			`${ORIGIN}/api/v1/observatory/${observatorySectionNames()[0]}?from=2024&to=2025`
		);
		for (const name of observatorySectionNames()) {
			const answer = await call(ctx.db, `/api/v1/observatory/${name}?from=2024&to=2025`, { authorization });
			expect(answer.status, name).toBe(200);
			expect(answer.body).toMatchObject({ section: name, period: { from: 2024, to: 2025 } });
			expect(answer.body.data).toBeTruthy();
		}
		const flows = await call(ctx.db, '/api/v1/observatory/flows?from=2024&to=2025', { authorization });
		expect(flows.body.definitions.installation).toBe(
			`${ORIGIN}/backoffice/observatory/definitions#def-installation`
		);
		expect(flows.body.data.years.map((y: { installations: number }) => y.installations)).toEqual([1, 0]);
		expect(flows.body.filters).toEqual({ from: 2024, to: 2025 });
	});

	test('without a token or session the API answers 401; a revoked or unknown token too', async () => {
		const { actors } = await seedObservatoryProgramme(ctx.db, HOUSEHOLDS);
		const none = await call(ctx.db, '/api/v1/observatory/flows');
		expect(none.status).toBe(401);
		expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
		expect(none.body.error.code).toBe('observatory_api.token_required');
		expect(none.body.error.message).toMatch(/token/i);

		const { token, item } = await createObservatoryToken(
			{ actor: actors.admin, input: { label: 'Région' } },
			{ db: ctx.db, now: NOW }
		);
		await revokeObservatoryToken({ actor: actors.admin, tokenId: item.id }, { db: ctx.db, now: NOW });
		for (const authorization of [`Bearer ${token}`, 'Bearer soho_obs_unknown', 'Basic dXNlcjpwYXNz']) {
			const refused = await call(ctx.db, '/api/v1/observatory/flows', { authorization });
			expect(refused.status, authorization).toBe(401);
			expect(refused.body.error.code).toBe('observatory_api.invalid_token');
		}
	});

	test('staff and committee members read with their session; partners and members are refused with 403', async () => {
		// Hand-computed figures of a few households, read as a committee member or funder: the
		// minimum cell size is off here (disclosure.service.test.ts tests it).
		const { actors } = await seedObservatoryProgramme(ctx.db, HOUSEHOLDS, { minCellSize: 1 });
		expect((await call(ctx.db, '/api/v1/observatory/funnel', { actor: actors.advisor })).status).toBe(200);
		const committee = await call(ctx.db, '/api/v1/observatory/funnel', { actor: actors.committee });
		expect(committee.status).toBe(200);
		expect(committee.body.data.byAdvisor).toEqual([]);
		for (const actor of [actors.partner, actors.member]) {
			const refused = await call(ctx.db, '/api/v1/observatory/funnel', { actor, locale: 'fr' });
			expect(refused.status).toBe(403);
			expect(refused.body.error).toEqual({
				code: 'observatory.forbidden',
				message: expect.stringContaining('L’observatoire est réservé')
			});
		}
	});

	test('an unknown section answers 404 and a bad filter 400 naming the filter, in the reader’s language', async () => {
		const { actors } = await seedObservatoryProgramme(ctx.db, HOUSEHOLDS);
		const unknown = await call(ctx.db, '/api/v1/observatory/horoscope', { actor: actors.admin });
		expect(unknown.status).toBe(404);
		expect(unknown.body.error.code).toBe('observatory.unknown_section');
		expect(await call(ctx.db, '/api/v1/observatory/__proto__', { actor: actors.admin })).toMatchObject({
			status: 404
		});

		const bad = await call(ctx.db, '/api/v1/observatory/flows?from=20x4', {
			actor: actors.admin,
			locale: 'fr'
		});
		expect(bad.status).toBe(400);
		expect(bad.body.error).toMatchObject({
			code: 'observatory.invalid_from',
			field: 'from',
			message: expect.stringContaining('Début de période')
		});
		const badEn = await call(ctx.db, '/api/v1/observatory?source=carrier_pigeon', { actor: actors.admin });
		expect(badEn.status).toBe(400);
		expect(badEn.body.error).toMatchObject({ code: 'observatory.invalid_source', field: 'source' });
	});

	test('a demo programme’s answers say the data are synthetic', async () => {
		const { actors, programme } = await seedObservatoryProgramme(ctx.db, HOUSEHOLDS);
		const { programmesTable } = await import('../db/schema/index.ts');
		const { eq } = await import('drizzle-orm');
		await ctx.db.update(programmesTable).set({ isDemo: true }).where(eq(programmesTable.id, programme.id));
		const answer = await call(ctx.db, '/api/v1/observatory/profiles', { actor: actors.advisor });
		expect(answer.body.programme.synthetic).toBe(true);
	});

	test('the attack of the finding through the API: commune × cohort × status of one household answers no figure to a token or a committee member', async () => {
		const households: TestHousehold[] = [
			...Array.from({ length: 8 }, (_, i) => ({
				contact: `2020-0${(i % 9) + 1}-01`,
				installedOn: '2021-05-01',
				commune: '32013',
				status: 'freelancer' as const
			})),
			{
				contact: '2020-09-01',
				installedOn: '2021-03-01',
				commune: '32410',
				status: 'business_buyer',
				originCountry: 'JP',
				sector: 'Informatique'
			}
		];
		const { actors } = await seedObservatoryProgramme(ctx.db, households);
		const { token } = await createObservatoryToken(
			{ actor: actors.admin, input: { label: 'Région' } },
			{ db: ctx.db, now: NOW }
		);
		const attack = '?commune=32410&cohort=2021&status=business_buyer';
		for (const request of [{ authorization: `Bearer ${token}` }, { actor: actors.committee }]) {
			for (const name of observatorySectionNames()) {
				const answer = await call(ctx.db, `/api/v1/observatory/${name}${attack}`, request);
				expect(answer.status, name).toBe(200);
				expect(answer.body.data, name).toEqual({ withheld: 'too_few_households', minCellSize: 5 });
				expect(answer.body.disclosure.minCellSize).toBe(5);
			}
			// Unfiltered, the lone household from Japan is null (hidden) in the profiles, and so is its complement.
			const profiles = await call(ctx.db, '/api/v1/observatory/profiles', request);
			const origin = profiles.body.data.tables.find((t: { dimension: string }) => t.dimension === 'origin');
			const counts = [
				...origin.rows.map((r: { installations: number | null }) => r.installations),
				origin.unknownInstallations
			];
			expect(counts.filter((c: number | null) => c === null).length).toBeGreaterThanOrEqual(2);
			expect(counts.every((c: number | null) => c === null || c === 0 || c >= 5)).toBe(true);
		}
		// Staff read the exact figures.
		const staff = await call(ctx.db, `/api/v1/observatory/profiles${attack}`, { actor: actors.advisor });
		expect(staff.body.data.installations).toBe(1);
		expect(staff.body.disclosure).toBeNull();
	});
});
