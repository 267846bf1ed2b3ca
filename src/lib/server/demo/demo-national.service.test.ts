import { sql } from 'drizzle-orm';
import { expect, test } from 'vitest';
import type { Actor } from '../auth/actor.ts';
import { describeEachDb } from '../db/db.test-utils.ts';
import type { Db } from '../db/index.ts';
import { getCase, getTimeline, listCases } from '../domain/case/case.service.ts';
import { getSuggestions } from '../domain/matching/matching.service.ts';
import { getProgrammeComparison } from '../domain/observatory/comparison.service.ts';
import { loadObservatory } from '../domain/observatory/observatory.context.ts';
import { expectDomainError, expectIssuesByField } from '../testing/expectations.ts';
import { generateNational, NATIONAL_EMAIL_DOMAIN, type GenerateNationalInput } from './demo-national.ts';

const NOW = new Date('2026-11-26T09:00:00Z');
/** The brief's tiny nation: three programmes on three départements of Occitanie. */
const TINY: GenerateNationalInput = {
	programmes: 3,
	persons: 300,
	cases: 120,
	entries: 1500,
	departements: ['09', '31', '32']
};

const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;
async function one<T>(db: Db, query: ReturnType<typeof sql>): Promise<T> {
	return rowsOf<T>(await db.execute(query))[0];
}

/** The actor of a generated staff member (admin or advisor) of a programme. */
async function staffOf(db: Db, programmeId: string, role: 'admin' | 'advisor'): Promise<Actor> {
	const user = await one<{ id: string; name: string; email: string }>(
		db,
		sql`select u.id, u.name, u.email from users u join memberships m on m.user_id = u.id
			where m.programme_id = ${programmeId} and m.role = ${role} order by u.email limit 1`
	);
	return {
		userId: user.id,
		name: user.name,
		email: user.email,
		role,
		programmeId,
		organisationId: null,
		locale: 'fr',
		isDemo: true
	};
}

describeEachDb('demo: the synthetic nation', (ctx) => {
	test('generates exactly the asked counts, every household in its case’s programme', async () => {
		const result = await generateNational(TINY, { db: ctx.db, now: NOW });
		expect(result).toMatchObject({
			programmes: 3,
			departements: 3,
			cases: 120,
			persons: 300,
			villages: 36,
			staff: 15
		});
		expect(result.stageChanges + result.activities).toBe(1500);
		expect(result.stageChanges).toBeGreaterThanOrEqual(120);
		const row = await one<Record<string, string | number>>(
			ctx.db,
			sql`select (select count(*) from communes where departement_code in ('09', '31', '32')) as communes,
				(select count(*) from communes where centroid_lat is null) as without_position,
				(select count(*) from persons p join cases c on c.id = p.case_id where p.programme_id <> c.programme_id) as persons_elsewhere,
				(select count(*) from case_stage_changes s join cases c on c.id = s.case_id where s.programme_id <> c.programme_id) as changes_elsewhere,
				(select count(*) from case_activities a join cases c on c.id = a.case_id where a.programme_id <> c.programme_id) as activities_elsewhere,
				(select count(*) from case_target_villages t join cases c on c.id = t.case_id join villages v on v.id = t.village_id
					where v.programme_id <> c.programme_id) as villages_elsewhere,
				(select count(*) from cases c join communes m on m.code = c.installed_commune_code join programmes p on p.id = c.programme_id
					where not p.departements ? m.departement_code) as installed_elsewhere,
				(select count(*) from cases c where not exists (select 1 from persons p where p.case_id = c.id and p.household_role = 'candidate')) as without_candidate,
				(select count(*) from cases where stage = 'installed') as installed,
				(select count(*) from programmes where name not like 'Programme synthétique %' or not is_demo) as unlabelled,
				(select count(*) from persons where email is not null and email not like ${'%@' + NATIONAL_EMAIL_DOMAIN}) as real_looking_emails`
		);
		const counts = Object.fromEntries(Object.entries(row).map(([key, value]) => [key, Number(value)]));
		expect(counts.communes).toBe(result.communes);
		expect(counts).toMatchObject({
			without_position: 0,
			persons_elsewhere: 0,
			changes_elsewhere: 0,
			activities_elsewhere: 0,
			villages_elsewhere: 0,
			installed_elsewhere: 0,
			without_candidate: 0,
			unlabelled: 0,
			real_looking_emails: 0
		});
		expect(counts.installed).toBeGreaterThan(0);
	});

	test('the same seed gives the same nation; another seed another one', async () => {
		const fingerprint = async () =>
			one<{ f: string }>(
				ctx.db,
				sql`select md5(string_agg(c.id || c.stage || c.programme_id_slug || coalesce(c.installed_commune_code, ''), ',' order by c.id)) as f
					from (select cases.*, p.slug as programme_id_slug from cases join programmes p on p.id = cases.programme_id) c`
			);
		await generateNational({ ...TINY, seed: 5 }, { db: ctx.db, now: NOW });
		const first = await fingerprint();
		await generateNational({ ...TINY, seed: 5, reset: true }, { db: ctx.db, now: NOW });
		expect(await fingerprint()).toEqual(first);
		await generateNational({ ...TINY, seed: 6, reset: true }, { db: ctx.db, now: NOW });
		expect(await fingerprint()).not.toEqual(first);
	});

	test('a database that holds data is refused, and reset never deletes a programme it did not make', async () => {
		await generateNational(TINY, { db: ctx.db, now: NOW });
		await expectDomainError(generateNational(TINY, { db: ctx.db, now: NOW }), 'demo.national_not_empty');
		await ctx.db.execute(sql`insert into programmes (id, slug, name) values ('prg_realone00', 'lot', 'Lot')`);
		await expectDomainError(
			generateNational({ ...TINY, reset: true }, { db: ctx.db, now: NOW }),
			'demo.national_foreign_data'
		);
		const left = await one<{ n: string | number }>(ctx.db, sql`select count(*) as n from cases`);
		expect(Number(left.n)).toBe(120);
	});

	test('bad sizes are refused with the field named, before anything is written', async () => {
		expect(
			await expectIssuesByField(
				generateNational(
					{ programmes: 0, persons: 10, cases: 20, entries: 5, departements: ['32'] },
					{ db: ctx.db, now: NOW }
				)
			)
		).toEqual({
			programmes: 'demo.invalid_programmes',
			persons: 'demo.persons_below_cases',
			entries: 'demo.entries_below_cases'
		});
		expect(
			await expectIssuesByField(generateNational({ ...TINY, programmes: 4 }, { db: ctx.db, now: NOW }))
		).toEqual({ programmes: 'demo.too_many_programmes' });
		expect(
			await expectIssuesByField(
				generateNational({ ...TINY, departements: ['32', '977'] }, { db: ctx.db, now: NOW })
			)
		).toEqual({ departements: 'demo.unknown_departement' });
		const written = await one<{ n: string | number }>(ctx.db, sql`select count(*) as n from programmes`);
		expect(Number(written.n)).toBe(0);
	});

	test('the app’s own services read the nation: case list, case page, matching, observatory, comparison', async () => {
		await generateNational(TINY, { db: ctx.db, now: NOW });
		const programmes = rowsOf<{ id: string; cases: string }>(
			await ctx.db.execute(
				sql`select p.id, (select count(*) from cases c where c.programme_id = p.id) as cases from programmes p order by p.slug`
			)
		);
		expect(programmes.map((p) => Number(p.cases))).toEqual([40, 40, 40]);
		const [first, second] = programmes;
		const advisor = await staffOf(ctx.db, first.id, 'advisor');

		const list = await listCases({ actor: advisor, limit: 25 }, { db: ctx.db });
		expect(list.total).toBe(40);
		expect(list.cases).toHaveLength(25);
		const kase = list.cases[0];
		expect(kase.reference).toMatch(/^SYN001-/);

		const page = await getCase({ actor: advisor, caseId: kase.id }, { db: ctx.db, now: NOW });
		if (page.access !== 'staff') throw new Error('an advisor reads the whole case');
		expect(page.persons.length).toBeGreaterThanOrEqual(2);
		expect(page.persons.every((p) => p.programmeId === first.id)).toBe(true);
		const { activities } = await getTimeline({ actor: advisor, caseId: kase.id }, { db: ctx.db });
		expect(activities.length).toBeGreaterThan(0);
		// Another programme's advisor does not find the case.
		const stranger = await staffOf(ctx.db, second.id, 'advisor');
		await expectDomainError(getCase({ actor: stranger, caseId: kase.id }, { db: ctx.db }), 'case.not_found');

		const suggestions = await getSuggestions({ actor: advisor, caseId: kase.id }, { db: ctx.db, now: NOW });
		expect(suggestions.status).toBe('ok');
		if (suggestions.status === 'ok') expect(suggestions.partnerVillages).toBe(12);

		const admin = await staffOf(ctx.db, first.id, 'admin');
		const viewer = { programmeId: first.id, kind: 'staff' as const, userId: admin.userId, isAdmin: true };
		const observatory = await loadObservatory({ viewer, input: {} }, { db: ctx.db, now: NOW });
		expect(observatory.allCases).toHaveLength(40);
		expect(observatory.programme.name).toMatch(/^Programme synthétique 001 — /);

		const comparison = await getProgrammeComparison({ actor: admin, input: {} }, { db: ctx.db, now: NOW });
		expect(comparison.isOptedIn).toBe(true);
		expect(comparison.programmes).toHaveLength(3);
		expect(comparison.programmes[0].isOwn).toBe(true);
	});
});
