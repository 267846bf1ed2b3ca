import { expect, test } from 'vitest';
import { describeEachDb } from '../../db/db.test-utils.ts';
import type { Db } from '../../db/index.ts';
import {
	caseActivitiesTable,
	casesTable,
	referralsTable,
	tasksTable,
	type Role
} from '../../db/schema/index.ts';
import { isDomainError } from '../../errors.ts';
import { ValidationError } from '../../validation.ts';
import { toActor } from '../account/account.service.ts';
import { createProgramme } from '../programme/programme.service.ts';
import { getAdvisorDashboard } from './advisor-dashboard.service.ts';
import { createTestProgramme, insertTestUsers, createTestOrganisation } from '../../testing/factories.ts';

const NOW = new Date('2026-11-26T09:00:00Z');
const HOUR = 3_600_000;
const at = (iso: string) => new Date(iso);

async function setup(db: Db) {
	const programme = await createTestProgramme(db);
	const user = async (role: Role, name: string) => {
		const [row] = await insertTestUsers(db, {
			programmeId: programme.id,
			role,
			name,
			email: `${name.toLowerCase()}@gers.example`,
			emailVerified: true
		});
		return row;
	};
	const claire = await user('advisor', 'Claire');
	const marc = await user('admin', 'Marc');
	const maire = await user('committee', 'Maire');
	let n = 0;
	// Raw rows on purpose: the dashboard reads a dated history (creation times, first answers,
	// installations months apart) that the services, which stamp their own clock, cannot backdate.
	const kase = async (values: Partial<typeof casesTable.$inferInsert>) => {
		n++;
		const [row] = await db
			.insert(casesTable)
			.values({
				programmeId: programme.id,
				reference: `GERS-2026-${String(n).padStart(4, '0')}`,
				source: 'web_form',
				...values
			})
			.returning();
		return row;
	};
	const activity = async (caseId: string, authorId: string | null, occurredAt: Date, kind = 'call') => {
		await db.insert(caseActivitiesTable).values({
			programmeId: programme.id,
			caseId,
			authorId,
			occurredAt,
			kind: kind as never,
			summary: kind
		});
	};
	return { programme, claire, marc, maire, kase, activity };
}

describeEachDb('advisor dashboard', (ctx) => {
	test('time to first answer counts only staff entries after the application, per advisor and in total', async () => {
		const { claire, marc, maire, kase, activity } = await setup(ctx.db);
		// Claire: answered after 2 h, 10 h and 30 h → median 10 h.
		for (const hours of [2, 10, 30]) {
			const c = await kase({ advisorId: claire.id, createdAt: at('2026-10-01T08:00:00Z') });
			await activity(c.id, null, at('2026-10-01T08:00:00Z'), 'application');
			await activity(c.id, claire.id, new Date(at('2026-10-01T08:00:00Z').getTime() + hours * HOUR));
			// A later entry does not change the first answer.
			await activity(c.id, claire.id, new Date(at('2026-10-01T08:00:00Z').getTime() + (hours + 50) * HOUR));
		}
		// Marc: one answered after 4 h (a committee note earlier does not count), one still waiting.
		const answered = await kase({ advisorId: marc.id, createdAt: at('2026-11-01T08:00:00Z') });
		await activity(answered.id, maire.id, at('2026-11-01T09:00:00Z'), 'note');
		await activity(answered.id, marc.id, at('2026-11-01T12:00:00Z'), 'email');
		await kase({ advisorId: marc.id, createdAt: at('2026-11-20T08:00:00Z') });
		// Opened before the 90-day period: counted in "12m" only.
		const old = await kase({ advisorId: claire.id, createdAt: at('2026-03-01T08:00:00Z') });
		await activity(old.id, claire.id, at('2026-03-03T08:00:00Z'));

		const actor = toActor(claire);
		const recent = await getAdvisorDashboard({ actor, input: { period: '90d' } }, { db: ctx.db, now: NOW });
		const line = (id: string) => recent.lines.find((l) => l.advisorId === id)!;
		expect(line(claire.id).firstAnswer).toMatchObject({ cases: 3, answered: 3, medianHours: 10, waiting: 0 });
		// p90 of 2, 10, 30 (linear interpolation, as percentile_cont): 10 + 0.8 × 20 = 26.
		expect(line(claire.id).firstAnswer.p90Hours).toBeCloseTo(26, 6);
		expect(line(marc.id).firstAnswer).toMatchObject({ cases: 2, answered: 1, medianHours: 4, waiting: 1 });
		expect(line(marc.id).firstAnswer.oldestWaitingSince?.toISOString()).toBe('2026-11-20T08:00:00.000Z');
		// Total: answers 2, 4, 10, 30 → median 7.
		expect(recent.total.firstAnswer).toMatchObject({ cases: 5, answered: 4, medianHours: 7, waiting: 1 });
		const year = await getAdvisorDashboard({ actor, input: { period: '12m' } }, { db: ctx.db, now: NOW });
		expect(year.total.firstAnswer.cases).toBe(6);
		expect(year.lines.find((l) => l.advisorId === claire.id)!.firstAnswer.medianHours).toBe(20);
		// The committee member is not a line of the dashboard.
		expect(year.lines.map((l) => l.name)).toEqual(['Claire', 'Marc']);
	});

	test('contact to installation, open cases by stage, overdue tasks and referrals per advisor', async () => {
		const { programme, claire, marc, kase } = await setup(ctx.db);
		const db = ctx.db;
		// Claire installed three households after 30, 90 and 200 days; one before the period.
		for (const [created, installed] of [
			['2026-01-01', '2026-01-31'],
			['2026-02-01', '2026-05-02'],
			['2026-01-10', '2026-07-29'],
			['2020-01-01', '2020-06-01']
		]) {
			await kase({
				advisorId: claire.id,
				stage: 'installed',
				createdAt: at(`${created}T10:00:00Z`),
				installedOn: installed,
				installedCommuneCode: null
			});
		}
		await kase({ advisorId: claire.id, stage: 'qualified' });
		await kase({ advisorId: claire.id, stage: 'qualified' });
		await kase({ advisorId: marc.id, stage: 'contact' });
		await kase({ advisorId: null, stage: 'discovery_visit' });
		await kase({ advisorId: null, stage: 'abandoned' });
		await db.insert(tasksTable).values([
			{ programmeId: programme.id, title: 'late', dueOn: '2026-11-20', assigneeId: claire.id },
			{ programmeId: programme.id, title: 'late too', dueOn: '2026-11-25', assigneeId: claire.id },
			{ programmeId: programme.id, title: 'today', dueOn: '2026-11-26', assigneeId: claire.id },
			{ programmeId: programme.id, title: 'done', dueOn: '2026-11-01', assigneeId: marc.id, doneAt: NOW },
			{ programmeId: programme.id, title: 'nobody', dueOn: '2026-11-02', assigneeId: null }
		]);
		const organisation = await createTestOrganisation(db, {
			programmeId: programme.id,
			name: 'France Travail Auch',
			kind: 'employment_service'
		});
		const referred = await kase({ advisorId: marc.id, stage: 'qualified' });
		await db.insert(referralsTable).values({
			programmeId: programme.id,
			caseId: referred.id,
			organisationId: organisation.id,
			needKind: 'job_search',
			status: 'proposed',
			expectedAnswerOn: '2026-11-10',
			createdAt: at('2026-11-03T10:00:00Z')
		});

		const dashboard = await getAdvisorDashboard({ actor: toActor(marc) }, { db, now: NOW });
		expect(dashboard.period).toBe('12m');
		expect(dashboard.from).toBe('2025-11-26');
		expect(dashboard.openStages).toEqual(['contact', 'qualified', 'discovery_visit', 'installing']);
		const line = (id: string | null) => dashboard.lines.find((l) => l.advisorId === id)!;
		expect(line(claire.id).installation).toEqual({ installed: 3, medianDays: 90, p90Days: 178 });
		expect(line(claire.id).open).toEqual({ contact: 0, qualified: 2, discovery_visit: 0, installing: 0 });
		expect(line(claire.id).overdueTasks).toBe(2);
		expect(line(marc.id).openTotal).toBe(2);
		expect(line(marc.id).overdueTasks).toBe(0);
		expect(line(marc.id).overdueReferrals).toBe(1);
		expect(line(null).open.discovery_visit).toBe(1);
		expect(line(null).overdueTasks).toBe(1);
		expect(dashboard.total.openTotal).toBe(5);
		expect(dashboard.total.overdueTasks).toBe(3);
		expect(dashboard.total.installation.installed).toBe(3);
		const all = await getAdvisorDashboard(
			{ actor: toActor(marc), input: { period: 'all' } },
			{ db, now: NOW }
		);
		expect(all.total.installation.installed).toBe(4);
	});

	test('only programme staff read it, and only their programme', async () => {
		const { maire, claire, kase } = await setup(ctx.db);
		const error = await getAdvisorDashboard({ actor: toActor(maire) }, { db: ctx.db, now: NOW }).catch(
			(e) => e
		);
		expect(isDomainError(error, 'advisor_dashboard.forbidden')).toBe(true);
		const invalid = await getAdvisorDashboard(
			{ actor: toActor(claire), input: { period: 'forever' as never } },
			{ db: ctx.db, now: NOW }
		).catch((e) => e);
		expect(invalid).toBeInstanceOf(ValidationError);
		await kase({ advisorId: claire.id, stage: 'contact' });
		const { programme: other } = await createProgramme(
			{ input: { slug: 'other', name: 'Other', departements: ['31'] } },
			{ db: ctx.db }
		);
		const [stranger] = await insertTestUsers(ctx.db, {
			programmeId: other.id,
			role: 'admin',
			name: 'Stranger',
			email: 's@other.example',
			emailVerified: true
		});
		const theirs = await getAdvisorDashboard({ actor: toActor(stranger) }, { db: ctx.db, now: NOW });
		expect(theirs.total.openTotal).toBe(0);
		expect(theirs.lines.map((l) => l.name)).toEqual(['Stranger']);
	});
});
