import type { Db } from '../../db/index.ts';
import {
	casesTable,
	caseTargetVillagesTable,
	personsTable,
	villagesTable,
	type Role
} from '../../db/schema/index.ts';
import { toActor } from '../account/account.service.ts';

import { createTestProgramme, insertTestUsers, insertTestCommunes } from '../../testing/factories.ts';

/** Two programmes, one user per role, a household of three (two with an email) targeting Simorre. */
export async function setupCaseMailFixture(db: Db) {
	const programme = await createTestProgramme(db);
	const other = await createTestProgramme(db, { slug: 'lot', name: 'Lot', departements: ['46'] });
	const user = async (role: Role, email: string, programmeId = programme.id) => {
		const [created] = await insertTestUsers(db, { name: `${role} ${email}`, email, role, programmeId });
		return toActor(created);
	};
	const actors = {
		admin: await user('admin', 'admin@gers.example'),
		advisor: await user('advisor', 'advisor@gers.example'),
		committee: await user('committee', 'committee@gers.example'),
		partner: await user('partner', 'partner@gers.example'),
		member: await user('member', 'member@gers.example'),
		candidate: await user('candidate', 'candidate@gers.example'),
		otherAdvisor: await user('advisor', 'advisor@lot.example', other.id)
	};
	await insertTestCommunes(db, { code: '32435', name: 'Simorre', departementCode: '32' });
	const [village] = await db
		.insert(villagesTable)
		.values({ programmeId: programme.id, communeCode: '32435', slug: 'simorre' })
		.returning();
	const [kase] = await db
		.insert(casesTable)
		.values({
			programmeId: programme.id,
			reference: 'GERS-2026-0007',
			source: 'phone',
			stage: 'qualified',
			advisorId: actors.advisor.userId
		})
		.returning();
	await db.insert(caseTargetVillagesTable).values({ caseId: kase.id, villageId: village.id });
	const [helene, marc, zoe] = await db
		.insert(personsTable)
		.values([
			{
				programmeId: programme.id,
				caseId: kase.id,
				householdRole: 'candidate',
				firstName: 'Hélène',
				lastName: 'Garnier',
				email: 'helene@example.org'
			},
			{
				programmeId: programme.id,
				caseId: kase.id,
				householdRole: 'partner',
				firstName: 'Marc',
				lastName: 'O_Brien',
				email: 'marc@example.org'
			},
			{ programmeId: programme.id, caseId: kase.id, householdRole: 'child', firstName: 'Zoé' }
		])
		.returning();
	return { programme, other, actors, kase, persons: { helene, marc, zoe } };
}
