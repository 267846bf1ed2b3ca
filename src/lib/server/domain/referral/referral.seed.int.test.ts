import { expect, test } from 'vitest';
import { parseConfig } from '../../config.ts';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { caseActivitiesTable, casesTable, personsTable } from '../../db/schema/index.ts';
import { toActor } from '../account/account.service.ts';
import { mailTemplateDemoSeedStep } from '../mail-template/mail-template.seed.ts';
import { listMailTemplates } from '../mail-template/mail-template.service.ts';

import { DEMO_ORGANISATIONS } from '../workspace/workspace.seed.ts';
import { createReferralDemoSeedStep } from './referral.seed.ts';
import { listReferrals } from './referral.service.ts';
import { createTestProgramme, insertTestUsers, createTestOrganisation } from '../../testing/factories.ts';

describeEachDb('referral and mail template demo data', (ctx) => {
	test('the demo has referrals of consenting households, some overdue and some with an outcome, and templates', async () => {
		const db = ctx.db;
		const programme = await createTestProgramme(db);
		for (const o of DEMO_ORGANISATIONS)
			await createTestOrganisation(db, {
				programmeId: programme.id,
				name: o.name,
				kind: o.kind,
				email: o.email
			});
		const [advisor] = await insertTestUsers(db, {
			name: 'Advisor',
			email: 'advisor@demo.example',
			role: 'advisor',
			programmeId: programme.id
		});
		for (let i = 1; i <= 12; i++) {
			const [kase] = await db
				.insert(casesTable)
				.values({
					programmeId: programme.id,
					reference: `GERS-2026-${String(i).padStart(4, '0')}`,
					source: 'phone',
					stage: 'qualified',
					advisorId: advisor.id,
					consents: {
						contact: true,
						shareWithCommittees: true,
						shareWithPartners: i % 2 === 0,
						research: false,
						at: null
					}
				})
				.returning();
			await db.insert(personsTable).values([
				{ programmeId: programme.id, caseId: kase.id, householdRole: 'candidate', firstName: `C${i}` },
				{ programmeId: programme.id, caseId: kase.id, householdRole: 'partner', firstName: `P${i}` }
			]);
		}
		const lines: string[] = [];
		const context = {
			db,
			config: parseConfig({ NODE_ENV: 'test' }),
			programme,
			log: (line: string) => lines.push(line)
		};
		await createReferralDemoSeedStep({ now: () => new Date() }).run(context);
		await mailTemplateDemoSeedStep.run(context);
		const actor = toActor(advisor);
		const { referrals, total } = await listReferrals({ actor }, { db });
		expect(total).toBe(9);
		expect(referrals.filter((r) => r.isOverdue).length).toBeGreaterThanOrEqual(2);
		expect(referrals.filter((r) => r.outcome).length).toBeGreaterThanOrEqual(2);
		const cases = await db.select().from(casesTable);
		const sharing = new Set(cases.filter((c) => c.consents.shareWithPartners).map((c) => c.id));
		expect(referrals.every((r) => sharing.has(r.caseId!))).toBe(true);
		expect((await db.select().from(caseActivitiesTable)).length).toBeGreaterThan(9);
		const { templates } = await listMailTemplates({ actor }, { db });
		expect(templates.map((t) => t.locale).sort()).toEqual(['en', 'en', 'en', 'fr', 'fr', 'fr']);
	});
});
