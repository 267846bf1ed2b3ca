import { and, eq } from 'drizzle-orm';
import type { DemoSeedStep } from '../../demo/demo.types.ts';
import {
	casesTable,
	memberProfilesTable,
	membershipsTable,
	personsTable,
	usersTable
} from '../../db/schema/index.ts';
import { recordAccountConsents, recordGivenConsents } from './consent.service.ts';

/**
 * Consent records of the demo: each demo household's consents recorded on its candidate, on
 * the day they were given, through the same service as the apply form; the demo member
 * account (no household) agreed to be contacted and to the research use of its answers.
 */
export const privacyDemoSeedStep: DemoSeedStep = {
	name: 'privacy',
	run: async ({ db, programme, log }) => {
		const candidates = await db
			.select({ personId: personsTable.id, consents: casesTable.consents, createdAt: casesTable.createdAt })
			.from(personsTable)
			.innerJoin(casesTable, eq(casesTable.id, personsTable.caseId))
			.where(and(eq(personsTable.programmeId, programme.id), eq(personsTable.householdRole, 'candidate')));
		let count = 0;
		await db.transaction(async (tx) => {
			for (const candidate of candidates) {
				const at = candidate.consents.at ? new Date(candidate.consents.at) : candidate.createdAt;
				const rows = await recordGivenConsents(
					{
						programmeId: programme.id,
						personId: candidate.personId,
						consents: candidate.consents,
						source: 'demo',
						at
					},
					{ db: tx }
				);
				count += rows.length;
			}
			// Members without a household (the demo member account) hold their consents on the account.
			const members = await tx
				.select({ userId: usersTable.id, createdAt: usersTable.createdAt })
				.from(usersTable)
				.innerJoin(membershipsTable, eq(membershipsTable.userId, usersTable.id))
				.where(
					and(
						eq(membershipsTable.programmeId, programme.id),
						eq(membershipsTable.role, 'member'),
						eq(usersTable.isDemo, true)
					)
				);
			for (const member of members) {
				const linked = await tx
					.select({ personId: memberProfilesTable.personId })
					.from(memberProfilesTable)
					.where(eq(memberProfilesTable.userId, member.userId));
				if (linked.some((row) => row.personId)) continue;
				const rows = await recordAccountConsents(
					{
						programmeId: programme.id,
						userId: member.userId,
						purposes: ['contact', 'research'],
						source: 'demo',
						at: member.createdAt
					},
					{ db: tx }
				);
				count += rows.length;
			}
		});
		log(`privacy: ${count} consent record(s)`);
	}
};
