/**
 * Fixtures of the case service tests: two programmes (Gers and Lot) with villages, one user
 * per role and their committees, and a household applying through the public form.
 */
import { count, eq } from 'drizzle-orm';
import { parseConfig } from '../../config.ts';
import type { TestDbContext } from '../../db/db.test-utils.ts';
import type { Db } from '../../db/index.ts';
import {
	auditEntriesTable,
	caseActivitiesTable,
	caseStageChangesTable,
	casesTable,
	caseTargetVillagesTable,
	communesTable,
	mailMessagesTable,
	personsTable,
	villageCommitteeMembersTable,
	villagesTable,
	type Role
} from '../../db/schema/index.ts';
import { createTestProgramme, insertTestUsers } from '../../testing/factories.ts';
import { toActor } from '../account/account.service.ts';

import { submitApplication } from './case-intake.service.ts';
import type { ApplicationInput } from './case.schemas.ts';

const config = parseConfig({ NODE_ENV: 'test' });

/** A couple with two children applying to Simorre (intake, pipeline, tasks and reading tests). */
export const application = (overrides: Partial<ApplicationInput> = {}): ApplicationInput => ({
	firstName: 'Hélène',
	lastName: 'Garnier',
	email: 'helene.garnier@example.org',
	phone: '06 12 34 56 78',
	adultsCount: '2',
	hasPartner: 'on',
	partnerFirstName: 'Marc',
	partnerProfession: 'Infirmier',
	partnerNeedsJob: 'on',
	children: [{ age: '7' }, { age: '2' }],
	profession: 'Graphiste',
	status: 'freelancer',
	sector: 'communication',
	wishedArea: 'Près de Simorre, au calme',
	villages: ['simorre'],
	timeline: '6_to_12_months',
	howHeard: 'Article de presse',
	consentContact: 'on',
	consentShareWithCommittees: 'on',
	wouldMoveWithoutProgramme: 'unsure',
	...overrides
});

/** A couple with one child and a birth year, so that duplicates can be found by name (editing, committee and merge tests). */
export const householdApplication = (overrides: Partial<ApplicationInput> = {}): ApplicationInput => ({
	firstName: 'Hélène',
	lastName: 'Garnier',
	email: 'helene.garnier@example.org',
	phone: '06 12 34 56 78',
	birthYear: '1988',
	adultsCount: '2',
	hasPartner: 'on',
	partnerFirstName: 'Marc',
	children: [{ age: '7' }],
	profession: 'Graphiste',
	villages: ['simorre'],
	timeline: '6_to_12_months',
	consentContact: 'on',
	consentShareWithCommittees: 'on',
	wouldMoveWithoutProgramme: 'unsure',
	...overrides
});

/** The programme under test (Gers) and another one (Lot) whose records must stay out of reach. */
async function createGersAndLot(db: Db) {
	const programme = await createTestProgramme(db);
	const other = await createTestProgramme(db, { slug: 'lot', name: 'Lot', departements: ['46'] });
	return { programme, other };
}

/** Two programmes, three villages, one user per role (two committee members, an advisor elsewhere). */
export async function setupCaseProgrammes(db: Db) {
	const { programme, other } = await createGersAndLot(db);
	await db.insert(communesTable).values([
		{ code: '32013', name: 'Auch', departementCode: '32' },
		{ code: '32435', name: 'Simorre', departementCode: '32' },
		{ code: '32412', name: 'Samatan', departementCode: '32' },
		{ code: '46042', name: 'Cahors', departementCode: '46' }
	]);
	const [simorre, samatan, cahors] = await db
		.insert(villagesTable)
		.values([
			{ programmeId: programme.id, communeCode: '32435', slug: 'simorre' },
			{ programmeId: programme.id, communeCode: '32412', slug: 'samatan' },
			{ programmeId: other.id, communeCode: '46042', slug: 'cahors' }
		])
		.returning();
	const user = async (role: Role, email: string, programmeId = programme.id) => {
		const [created] = await insertTestUsers(db, { name: email, email, role, programmeId });
		return toActor(created);
	};
	const actors = {
		admin: await user('admin', 'admin@gers.example'),
		advisor: await user('advisor', 'advisor@gers.example'),
		committee: await user('committee', 'simorre@gers.example'),
		otherCommittee: await user('committee', 'samatan@gers.example'),
		partner: await user('partner', 'partner@gers.example'),
		candidate: await user('candidate', 'helene.garnier@example.org'),
		otherAdvisor: await user('advisor', 'advisor@lot.example', other.id)
	};
	await db.insert(villageCommitteeMembersTable).values([
		{ villageId: simorre.id, userId: actors.committee.userId },
		{ villageId: samatan.id, userId: actors.otherCommittee.userId }
	]);
	return { db, programme, other, villages: { simorre, samatan, cahors }, actors };
}

/** Two programmes, a prospect village besides the partner ones, committees of one and two members (one in English). */
export async function setupCommitteeProgrammes(db: Db) {
	const { programme, other } = await createGersAndLot(db);
	await db.insert(communesTable).values([
		{ code: '32013', name: 'Auch', departementCode: '32' },
		{ code: '32435', name: 'Simorre', departementCode: '32' },
		{ code: '32412', name: 'Samatan', departementCode: '32' },
		{ code: '32107', name: 'Fleurance', departementCode: '32' },
		{ code: '46042', name: 'Cahors', departementCode: '46' }
	]);
	const [simorre, samatan, prospect, cahors] = await db
		.insert(villagesTable)
		.values([
			{ programmeId: programme.id, communeCode: '32435', slug: 'simorre' },
			{ programmeId: programme.id, communeCode: '32412', slug: 'samatan' },
			{ programmeId: programme.id, communeCode: '32107', slug: 'fleurance', status: 'prospect' },
			{ programmeId: other.id, communeCode: '46042', slug: 'cahors' }
		])
		.returning();
	const user = async (role: Role, email: string, programmeId = programme.id, locale: 'fr' | 'en' = 'fr') => {
		const [created] = await insertTestUsers(db, {
			name: email.split('@')[0],
			email,
			role,
			programmeId,
			locale
		});
		return toActor(created);
	};
	const actors = {
		admin: await user('admin', 'admin@gers.example'),
		advisor: await user('advisor', 'advisor@gers.example'),
		committee: await user('committee', 'simorre@gers.example'),
		samatanMayor: await user('committee', 'maire@samatan.example'),
		samatanVolunteer: await user('committee', 'benevole@samatan.example', programme.id, 'en'),
		prospectMember: await user('committee', 'fleurance@gers.example'),
		otherAdvisor: await user('advisor', 'advisor@lot.example', other.id)
	};
	await db.insert(villageCommitteeMembersTable).values([
		{ villageId: simorre.id, userId: actors.committee.userId },
		{ villageId: samatan.id, userId: actors.samatanMayor.userId },
		{ villageId: samatan.id, userId: actors.samatanVolunteer.userId },
		{ villageId: prospect.id, userId: actors.prospectMember.userId }
	]);
	return { db, programme, other, villages: { simorre, samatan, prospect, cahors }, actors };
}

/** The applicant of `application` on the public form; `input` and `locale` as the tests need. */
export const applyOn =
	(ctx: TestDbContext, fallback: () => ApplicationInput = application) =>
	(programmeId: string, input: ApplicationInput = fallback(), locale: 'fr' | 'en' = 'fr') =>
		submitApplication({ programmeId, input, locale }, { db: ctx.db, config });

/** How many rows the case tables hold (what a refused write must leave unchanged). */
export const rowCounts = async (db: Db) => {
	const n = async (
		table: Parameters<Db['select']>[0] extends never
			? never
			: | typeof casesTable
				| typeof personsTable
				| typeof caseActivitiesTable
				| typeof caseStageChangesTable
				| typeof caseTargetVillagesTable
				| typeof mailMessagesTable
	) => Number((await db.select({ n: count() }).from(table))[0].n);
	return {
		cases: await n(casesTable),
		persons: await n(personsTable),
		activities: await n(caseActivitiesTable),
		stageChanges: await n(caseStageChangesTable),
		targets: await n(caseTargetVillagesTable),
		mails: await n(mailMessagesTable)
	};
};

/** The audit entries of a case, oldest first. */
export const auditOf = async (db: Db, caseId: string) =>
	(await db.select().from(auditEntriesTable).where(eq(auditEntriesTable.caseId, caseId))).sort(
		(a, b) => a.at.getTime() - b.at.getTime() || a.id.localeCompare(b.id)
	);

/** The committee notifications in the outbox. */
export const committeeMails = async (db: Db) =>
	(await db.select().from(mailMessagesTable)).filter((mail) => mail.kind === 'case.committee_notified');
