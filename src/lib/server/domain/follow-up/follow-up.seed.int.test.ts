import { eq } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { describeEachDb } from '../../db/db.test-utils.ts';
import {
	casesTable,
	departureReportsTable,
	personsTable,
	surveyAnswersTable,
	surveyInvitationsTable
} from '../../db/schema/index.ts';

import { seedFollowUpDemo } from './follow-up.seed.ts';
import { createTestProgramme } from '../../testing/factories.ts';

const NOW = new Date('2026-11-26T09:00:00Z');

describeEachDb('follow-up demo', (ctx) => {
	test('the demo follow-up history covers the waves due, reports the departures of households that left, and is labelled demo', async () => {
		const db = ctx.db;
		const programme = await createTestProgramme(db);
		const households = Array.from({ length: 40 }, (_, i) => ({
			installedOn: `${2015 + (i % 12)}-${String((i % 12) + 1).padStart(2, '0')}-10`,
			left: i % 10 === 3
		}));
		for (const [i, household] of households.entries()) {
			const [kase] = await db
				.insert(casesTable)
				.values({
					programmeId: programme.id,
					reference: `GERS-2020-${String(i + 1).padStart(4, '0')}`,
					source: 'phone',
					stage: household.left ? 'left_territory' : 'installed',
					installedOn: household.installedOn,
					leftOn: household.left ? `${Number(household.installedOn.slice(0, 4)) + 1}-12-01` : null,
					leftReason: household.left ? 'Mutation professionnelle' : null,
					isDemo: true
				})
				.returning();
			await db.insert(personsTable).values({
				programmeId: programme.id,
				caseId: kase.id,
				householdRole: 'candidate',
				email: `household${i}@example.org`,
				isDemo: true
			});
		}
		const result = await seedFollowUpDemo({ programmeId: programme.id, now: NOW }, { db });
		expect(result.invitations).toBeGreaterThan(40);
		expect(result.answers).toBeGreaterThan(result.invitations * 0.3);
		const invitations = await db.select().from(surveyInvitationsTable);
		expect(invitations.every((row) => row.isDemo && row.dueOn <= '2026-11-26')).toBe(true);
		const answers = await db.select().from(surveyAnswersTable);
		expect(answers.every((row) => row.isDemo && row.questionnaireVersion === 1)).toBe(true);
		const confirmed = await db
			.select()
			.from(departureReportsTable)
			.where(eq(departureReportsTable.status, 'confirmed'));
		const left = await db.select().from(casesTable).where(eq(casesTable.stage, 'left_territory'));
		expect(confirmed.length).toBeGreaterThan(0);
		expect(confirmed.every((report) => left.some((kase) => kase.id === report.caseId))).toBe(true);
		const cases = await db.select().from(casesTable);
		const answeredCases = new Set(answers.map((answer) => answer.caseId));
		expect(cases.filter((kase) => kase.lastSignOfLifeAt).length).toBe(answeredCases.size);
	});
});
