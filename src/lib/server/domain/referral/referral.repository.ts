import { and, count, desc, eq, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import {
	casesTable,
	organisationsTable,
	personsTable,
	programmesTable,
	referralsTable,
	membershipsTable,
	usersTable,
	type CaseConsents,
	type Organisation,
	type Referral,
	type ReferralStatus
} from '../../db/schema/index.ts';

/** Every query here filters by programme_id. */

export async function insertReferral({
	db,
	values
}: {
	db: Db;
	values: typeof referralsTable.$inferInsert;
}): Promise<Referral> {
	const [created] = await db.insert(referralsTable).values(values).returning();
	return created;
}

export async function findReferralById({
	db,
	programmeId,
	referralId,
	forUpdate = false
}: {
	db: Db;
	programmeId: string;
	referralId: string;
	forUpdate?: boolean;
}): Promise<Referral | null> {
	const query = db
		.select()
		.from(referralsTable)
		.where(and(eq(referralsTable.programmeId, programmeId), eq(referralsTable.id, referralId)));
	const [referral] = forUpdate ? await query.for('update') : await query;
	return referral ?? null;
}

/** Updates a referral only if it is still in one of `fromStatuses` (a concurrent answer loses). */
export async function updateReferral({
	db,
	programmeId,
	referralId,
	fromStatuses,
	values
}: {
	db: Db;
	programmeId: string;
	referralId: string;
	fromStatuses: readonly ReferralStatus[];
	values: Partial<typeof referralsTable.$inferInsert>;
}): Promise<Referral | null> {
	const [updated] = await db
		.update(referralsTable)
		.set(values)
		.where(
			and(
				eq(referralsTable.programmeId, programmeId),
				eq(referralsTable.id, referralId),
				inArray(referralsTable.status, [...fromStatuses])
			)
		)
		.returning();
	return updated ?? null;
}

/**
 * Overdue referrals in SQL; must stay in sync with isReferralOverdue (referral.rules.ts):
 * proposed past the expected answer day, or accepted before `acceptedBefore` without outcome.
 */
function overdueCondition({ today, acceptedBefore }: { today: string; acceptedBefore: Date }): SQL {
	return or(
		and(eq(referralsTable.status, 'proposed'), lt(referralsTable.expectedAnswerOn, today)),
		and(eq(referralsTable.status, 'accepted'), lt(referralsTable.answeredAt, acceptedBefore))
	)!;
}

export type ReferralRow = Referral & {
	organisationName: string;
	caseReference: string;
	caseAdvisorId: string | null;
	caseConsents: CaseConsents;
	personFirstName: string | null;
	personLastName: string | null;
};

export type ReferralFilters = {
	referralId?: string;
	status?: ReferralStatus;
	organisationId?: string;
	caseId?: string;
	overdue?: { today: string; acceptedBefore: Date };
};

export async function findReferrals({
	db,
	programmeId,
	filters,
	limit,
	offset
}: {
	db: Db;
	programmeId: string;
	filters: ReferralFilters;
	limit: number;
	offset: number;
}): Promise<{ rows: ReferralRow[]; total: number }> {
	const where = and(
		eq(referralsTable.programmeId, programmeId),
		filters.referralId ? eq(referralsTable.id, filters.referralId) : undefined,
		filters.status ? eq(referralsTable.status, filters.status) : undefined,
		filters.organisationId ? eq(referralsTable.organisationId, filters.organisationId) : undefined,
		filters.caseId ? eq(referralsTable.caseId, filters.caseId) : undefined,
		filters.overdue ? overdueCondition(filters.overdue) : undefined
	);
	const rows = await db
		.select({
			referral: referralsTable,
			organisationName: organisationsTable.name,
			caseReference: casesTable.reference,
			caseAdvisorId: casesTable.advisorId,
			caseConsents: casesTable.consents,
			personFirstName: personsTable.firstName,
			personLastName: personsTable.lastName
		})
		.from(referralsTable)
		.innerJoin(organisationsTable, eq(organisationsTable.id, referralsTable.organisationId))
		.innerJoin(casesTable, eq(casesTable.id, referralsTable.caseId))
		.leftJoin(personsTable, eq(personsTable.id, referralsTable.personId))
		.where(where)
		.orderBy(desc(referralsTable.createdAt), desc(referralsTable.id))
		.limit(limit)
		.offset(offset);
	const [{ total }] = await db.select({ total: count() }).from(referralsTable).where(where);
	return {
		rows: rows.map(({ referral, ...rest }) => ({ ...referral, ...rest })),
		total: Number(total)
	};
}

/** One referral with its organisation's name and its case's reference, advisor and consents. */
export async function findReferralRow({
	db,
	programmeId,
	referralId
}: {
	db: Db;
	programmeId: string;
	referralId: string;
}): Promise<ReferralRow | null> {
	const { rows } = await findReferrals({ db, programmeId, filters: { referralId }, limit: 1, offset: 0 });
	return rows[0] ?? null;
}

/** Overdue referrals per advisor of the referred case (null: cases without advisor). */
export async function countOverdueByAdvisor({
	db,
	programmeId,
	today,
	acceptedBefore
}: {
	db: Db;
	programmeId: string;
	today: string;
	acceptedBefore: Date;
}): Promise<{ advisorId: string | null; overdue: number }[]> {
	const rows = await db
		.select({ advisorId: casesTable.advisorId, overdue: count() })
		.from(referralsTable)
		.innerJoin(casesTable, eq(casesTable.id, referralsTable.caseId))
		.where(and(eq(referralsTable.programmeId, programmeId), overdueCondition({ today, acceptedBefore })))
		.groupBy(casesTable.advisorId)
		.orderBy(sql`count(*) desc`);
	return rows.map((row) => ({ advisorId: row.advisorId, overdue: Number(row.overdue) }));
}

/** The programme's organisations by name; `isActiveOnly`: those a case may still be referred to (not retired). */
export async function findProgrammeOrganisations({
	db,
	programmeId,
	isActiveOnly = false
}: {
	db: Db;
	programmeId: string;
	isActiveOnly?: boolean;
}): Promise<Pick<Organisation, 'id' | 'name' | 'kind'>[]> {
	return db
		.select({ id: organisationsTable.id, name: organisationsTable.name, kind: organisationsTable.kind })
		.from(organisationsTable)
		.where(
			and(
				eq(organisationsTable.programmeId, programmeId),
				isActiveOnly ? isNull(organisationsTable.archivedAt) : undefined
			)
		)
		.orderBy(organisationsTable.name);
}

/** The partner accounts of an organisation: they receive its referrals. */
export async function findOrganisationPartners({
	db,
	programmeId,
	organisationId
}: {
	db: Db;
	programmeId: string;
	organisationId: string;
}): Promise<{ email: string; locale: 'fr' | 'en' }[]> {
	return db
		.select({ email: usersTable.email, locale: usersTable.locale })
		.from(usersTable)
		.innerJoin(membershipsTable, eq(membershipsTable.userId, usersTable.id))
		.where(
			and(
				eq(membershipsTable.programmeId, programmeId),
				eq(membershipsTable.organisationId, organisationId),
				eq(membershipsTable.role, 'partner'),
				eq(membershipsTable.status, 'active')
			)
		)
		.orderBy(usersTable.email);
}

export async function findUserContact({
	db,
	programmeId,
	userId
}: {
	db: Db;
	programmeId: string;
	userId: string;
}): Promise<{ email: string; locale: 'fr' | 'en'; name: string } | null> {
	const [user] = await db
		.select({ email: usersTable.email, locale: usersTable.locale, name: usersTable.name })
		.from(usersTable)
		.innerJoin(membershipsTable, eq(membershipsTable.userId, usersTable.id))
		.where(and(eq(membershipsTable.programmeId, programmeId), eq(usersTable.id, userId)));
	return user ?? null;
}

export async function findProgrammeName({
	db,
	programmeId
}: {
	db: Db;
	programmeId: string;
}): Promise<string> {
	const [programme] = await db
		.select({ name: programmesTable.name })
		.from(programmesTable)
		.where(eq(programmesTable.id, programmeId));
	return programme?.name ?? '';
}
