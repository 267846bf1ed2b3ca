import { describe, expect, test } from 'vitest';
import { demoEmail, signInByFetch } from './security-support.ts';
import { e2eSkipReason, useDemoServer } from './support.ts';

/*
 * The needs questionnaire and the suggestions as the demo candidate, without JavaScript (plain
 * form posts): a contradictory budget is refused on its field and what was typed stays; a valid
 * answer is saved; the suggestions page ranks partner villages with their reasons, and a village
 * kept appears among the kept ones. The committee member is refused the candidate's pages.
 */
const skip = e2eSkipReason();

describe.skipIf(skip)('matching: needs and suggestions as the demo candidate', () => {
	const demo = useDemoServer();

	const post = (path: string, cookie: string, fields: Record<string, string | string[]>) => {
		const body = new URLSearchParams();
		for (const [name, value] of Object.entries(fields))
			for (const one of Array.isArray(value) ? value : [value]) body.append(name, one);
		return fetch(`${demo.url}${path}`, {
			method: 'POST',
			redirect: 'manual',
			headers: {
				origin: demo.url,
				cookie,
				accept: 'text/html',
				'content-type': 'application/x-www-form-urlencoded'
			},
			body
		});
	};

	test('the candidate fills the questionnaire, sees ranked villages with reasons and keeps one', async () => {
		const { cookie } = await signInByFetch(demo.url, demoEmail('candidate'));
		const page = await fetch(`${demo.url}/space/needs`, { headers: { cookie } });
		expect(page.status).toBe(200);
		// The demo seed filled the needs through the service: the budget is there.
		expect(await page.text()).toContain('value="1000"');

		const fields = {
			housingTenure: 'rent',
			budgetMin: '1200',
			budgetMax: '900',
			housingType: 'any',
			minConnection: '',
			childAge: ['8', ''],
			childSchooling: ['primary', 'primary'],
			villagePreference: 'prefer_partner',
			languages: 'fr'
		};
		const refused = await post('/space/needs', cookie, fields);
		const refusedHtml = await refused.text();
		expect(refused.status, refusedHtml.slice(0, 3000)).toBe(422);
		expect(refusedHtml).toContain('Le budget maximum doit être au moins égal au minimum.');
		expect(refusedHtml).toContain('value="1200"');

		const saved = await post('/space/needs', cookie, { ...fields, budgetMin: '500' });
		expect(saved.status).toBe(200);
		expect(await saved.text()).toContain('Vos besoins sont enregistrés.');

		const suggestions = await fetch(`${demo.url}/space/suggestions`, { headers: { cookie } });
		expect(suggestions.status).toBe(200);
		const html = await suggestions.text();
		const villages = [...html.matchAll(/data-village="([^"]+)"/g)].map((m) => m[1]);
		expect(villages.length).toBeGreaterThan(0);
		expect(html).toMatch(/Correspondance : \d+ %/);
		const villageId = /name="villageId" value="(vil_[a-z0-9]+)"/.exec(html)![1];
		const kept = await post('/space/suggestions?/save', cookie, { villageId });
		expect(kept.status).toBe(200);
		const after = await (await fetch(`${demo.url}/space/suggestions`, { headers: { cookie } })).text();
		expect(after).toContain('data-testid="saved-suggestions"');
	});

	test('a committee member cannot open the candidate’s needs', async () => {
		const { cookie } = await signInByFetch(demo.url, demoEmail('committee'));
		const page = await fetch(`${demo.url}/space/needs`, { headers: { cookie }, redirect: 'manual' });
		expect([403, 404]).toContain(page.status);
	});
});
