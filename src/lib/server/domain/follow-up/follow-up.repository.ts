import {
	and,
	asc,
	desc,
	eq,
	gte,
	inArray,
	isNotNull,
	isNull,
	lt,
	lte,
	notInArray,
	or,
	sql
} from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import {
	casesTable,
	departureReportsTable,
	eventRegistrationsTable,
	followUpSettingsTable,
	personsTable,
	programmesTable,
	surveyAnswersTable,
	surveyInvitationsTable,
	surveyQuestionnairesTable,
	usersTable,
	type DepartureReport,
	type SurveyAnswer,
	type SurveyInvitation,
	type SurveyQuestionnaire
} from '../../db/schema/index.ts';
import { ofActiveProgramme } from '../../db/active-programme.ts';

const EXIT_STAGES = ['left_territory', 'abandoned'];

export async function findProgrammes({ db, programmeId }: { db: Db; programmeId?: string }) {
	return (
		db
			.select({ id: programmesTable.id, name: programmesTable.name, isDemo: programmesTable.isDemo })
			.from(programmesTable)
			// A suspended programme sends no survey wave (ofActiveProgramme).
			.where(
				and(
					ofActiveProgramme(programmesTable.id),
					programmeId ? eq(programmesTable.id, programmeId) : undefined
				)
			)
			.orderBy(asc(programmesTable.id))
	);
}

export async function findProgrammeName({ db, programmeId }: { db: Db; programmeId: string }) {
	const [row] = await db
		.select({ name: programmesTable.name })
		.from(programmesTable)
		.where(eq(programmesTable.id, programmeId));
	return row?.name ?? '';
}

export async function findSettings({ db, programmeId }: { db: Db; programmeId: string }) {
	const [row] = await db
		.select()
		.from(followUpSettingsTable)
		.where(eq(followUpSettingsTable.programmeId, programmeId));
	return row ?? null;
}

export async function upsertSettings({
	db,
	values
}: {
	db: Db;
	values: typeof followUpSettingsTable.$inferInsert;
}) {
	await db
		.insert(followUpSettingsTable)
		.values(values)
		.onConflictDoUpdate({
			target: followUpSettingsTable.programmeId,
			set: {
				waveMonths: values.waveMonths,
				silenceMonths: values.silenceMonths,
				updatedBy: values.updatedBy,
				updatedAt: values.updatedAt
			}
		});
}

export async function findLatestQuestionnaire({
	db,
	programmeId
}: {
	db: Db;
	programmeId: string;
}): Promise<SurveyQuestionnaire | null> {
	const [row] = await db
		.select()
		.from(surveyQuestionnairesTable)
		.where(eq(surveyQuestionnairesTable.programmeId, programmeId))
		.orderBy(desc(surveyQuestionnairesTable.version))
		.limit(1);
	return row ?? null;
}

export async function findQuestionnaires({
	db,
	programmeId,
	versions
}: {
	db: Db;
	programmeId: string;
	versions: number[];
}): Promise<SurveyQuestionnaire[]> {
	if (versions.length === 0) return [];
	return db
		.select()
		.from(surveyQuestionnairesTable)
		.where(
			and(
				eq(surveyQuestionnairesTable.programmeId, programmeId),
				inArray(surveyQuestionnairesTable.version, versions)
			)
		);
}

export async function insertQuestionnaire({
	db,
	values
}: {
	db: Db;
	values: typeof surveyQuestionnairesTable.$inferInsert;
}): Promise<SurveyQuestionnaire | null> {
	const [row] = await db.insert(surveyQuestionnairesTable).values(values).onConflictDoNothing().returning();
	return row ?? null;
}

export type WaveCandidate = {
	caseId: string;
	reference: string;
	installedOn: string;
	email: string;
	locale: 'fr' | 'en' | null;
	firstName: string | null;
	isDemo: boolean;
};

/**
 * Households of a programme installed between two dates, still in the territory, with a
 * candidate's email and no invitation yet for this wave.
 */
export async function findWaveCandidates({
	db,
	programmeId,
	waveMonths,
	installedFrom,
	installedUntil
}: {
	db: Db;
	programmeId: string;
	waveMonths: number;
	installedFrom: string;
	installedUntil: string;
}): Promise<WaveCandidate[]> {
	const rows = await db
		.select({
			caseId: casesTable.id,
			reference: casesTable.reference,
			installedOn: casesTable.installedOn,
			email: personsTable.email,
			locale: usersTable.locale,
			firstName: personsTable.firstName,
			isDemo: casesTable.isDemo
		})
		.from(casesTable)
		.innerJoin(
			personsTable,
			and(
				eq(personsTable.caseId, casesTable.id),
				eq(personsTable.householdRole, 'candidate'),
				isNotNull(personsTable.email)
			)
		)
		.leftJoin(usersTable, eq(usersTable.id, casesTable.candidateUserId))
		.leftJoin(
			surveyInvitationsTable,
			and(eq(surveyInvitationsTable.caseId, casesTable.id), eq(surveyInvitationsTable.waveMonths, waveMonths))
		)
		.where(
			and(
				eq(casesTable.programmeId, programmeId),
				gte(casesTable.installedOn, installedFrom),
				lte(casesTable.installedOn, installedUntil),
				notInArray(casesTable.stage, EXIT_STAGES),
				isNull(casesTable.leftOn),
				isNull(surveyInvitationsTable.id)
			)
		)
		.orderBy(asc(casesTable.installedOn), asc(casesTable.id));
	// A household has one candidate; keep the first row per case all the same.
	const seen = new Set<string>();
	return rows.flatMap((row) => {
		if (seen.has(row.caseId) || !row.installedOn || !row.email) return [];
		seen.add(row.caseId);
		return [{ ...row, installedOn: row.installedOn, email: row.email }];
	});
}

export async function insertInvitation({
	db,
	values
}: {
	db: Db;
	values: typeof surveyInvitationsTable.$inferInsert;
}): Promise<SurveyInvitation | null> {
	const [row] = await db.insert(surveyInvitationsTable).values(values).onConflictDoNothing().returning();
	return row ?? null;
}

/** Unanswered, unexpired invitations sent at least 7 days ago and not reminded twice. */
export async function findInvitationsToRemind({
	db,
	programmeId,
	now
}: {
	db: Db;
	programmeId: string;
	now: Date;
}): Promise<SurveyInvitation[]> {
	return db
		.select()
		.from(surveyInvitationsTable)
		.where(
			and(
				eq(surveyInvitationsTable.programmeId, programmeId),
				isNull(surveyInvitationsTable.answeredAt),
				isNull(surveyInvitationsTable.reminded14At),
				lte(surveyInvitationsTable.sentAt, new Date(now.getTime() - 7 * 86_400_000)),
				sql`${surveyInvitationsTable.expiresAt} > ${now.toISOString()}`
			)
		)
		.orderBy(asc(surveyInvitationsTable.sentAt));
}

/** Marks a reminder as sent, once: false when another run already did. */
export async function claimReminder({
	db,
	invitationId,
	days,
	now
}: {
	db: Db;
	invitationId: string;
	days: 7 | 14;
	now: Date;
}): Promise<boolean> {
	const column = days === 7 ? surveyInvitationsTable.reminded7At : surveyInvitationsTable.reminded14At;
	const rows = await db
		.update(surveyInvitationsTable)
		.set(days === 7 ? { reminded7At: now, updatedAt: now } : { reminded14At: now, updatedAt: now })
		.where(
			and(
				eq(surveyInvitationsTable.id, invitationId),
				isNull(column),
				isNull(surveyInvitationsTable.answeredAt)
			)
		)
		.returning({ id: surveyInvitationsTable.id });
	return rows.length === 1;
}

export async function findInvitationByToken({
	db,
	token,
	forUpdate = false
}: {
	db: Db;
	token: string;
	forUpdate?: boolean;
}): Promise<SurveyInvitation | null> {
	const query = db.select().from(surveyInvitationsTable).where(eq(surveyInvitationsTable.token, token));
	const [row] = forUpdate ? await query.for('update') : await query;
	return row ?? null;
}

export async function markInvitationAnswered({
	db,
	invitationId,
	now
}: {
	db: Db;
	invitationId: string;
	now: Date;
}): Promise<boolean> {
	const rows = await db
		.update(surveyInvitationsTable)
		.set({ answeredAt: now, updatedAt: now })
		.where(and(eq(surveyInvitationsTable.id, invitationId), isNull(surveyInvitationsTable.answeredAt)))
		.returning({ id: surveyInvitationsTable.id });
	return rows.length === 1;
}

export async function insertAnswer({
	db,
	values
}: {
	db: Db;
	values: typeof surveyAnswersTable.$inferInsert;
}): Promise<SurveyAnswer> {
	const [row] = await db.insert(surveyAnswersTable).values(values).returning();
	return row;
}

export async function insertDepartureReport({
	db,
	values
}: {
	db: Db;
	values: typeof departureReportsTable.$inferInsert;
}): Promise<DepartureReport> {
	const [row] = await db.insert(departureReportsTable).values(values).returning();
	return row;
}

/** Moves the case's last sign of life forward (never back). */
export async function bumpSignOfLife({
	db,
	programmeId,
	caseId,
	at
}: {
	db: Db;
	programmeId: string;
	caseId: string;
	at: Date;
}): Promise<boolean> {
	const rows = await db
		.update(casesTable)
		.set({ lastSignOfLifeAt: at })
		.where(
			and(
				eq(casesTable.id, caseId),
				eq(casesTable.programmeId, programmeId),
				or(isNull(casesTable.lastSignOfLifeAt), lt(casesTable.lastSignOfLifeAt, at))
			)
		)
		.returning({ id: casesTable.id });
	return rows.length === 1;
}

/** Cases whose candidate attended: matched by the registration's account or its email. */
export async function findCasesOfAttendees({
	db,
	programmeId,
	eventId
}: {
	db: Db;
	programmeId: string;
	eventId: string;
}): Promise<string[]> {
	const attendees = await db
		.select({ userId: eventRegistrationsTable.userId, email: eventRegistrationsTable.email })
		.from(eventRegistrationsTable)
		.where(
			and(
				eq(eventRegistrationsTable.programmeId, programmeId),
				eq(eventRegistrationsTable.eventId, eventId),
				eq(eventRegistrationsTable.attended, true)
			)
		);
	if (attendees.length === 0) return [];
	const userIds = attendees.flatMap((row) => (row.userId ? [row.userId] : []));
	const emails = attendees.map((row) => row.email.toLowerCase());
	// Two lookups rather than one OR across a join: with the OR, PostgreSQL may join every case
	// to a scan of the persons' email index (seconds per event inside the demo seed's transaction).
	const byUser = userIds.length
		? await db
				.select({ caseId: casesTable.id })
				.from(casesTable)
				.where(and(eq(casesTable.programmeId, programmeId), inArray(casesTable.candidateUserId, userIds)))
		: [];
	const byEmail = await db
		.select({ caseId: personsTable.caseId })
		.from(personsTable)
		.where(
			and(
				eq(personsTable.programmeId, programmeId),
				eq(personsTable.householdRole, 'candidate'),
				inArray(personsTable.email, emails)
			)
		);
	return [...new Set([...byUser, ...byEmail].map((row) => row.caseId))];
}

export type WaveStats = { waveMonths: number; sent: number; answered: number; expired: number };

export async function countInvitationsByWave({
	db,
	programmeId,
	now
}: {
	db: Db;
	programmeId: string;
	now: Date;
}): Promise<WaveStats[]> {
	const rows = await db
		.select({
			waveMonths: surveyInvitationsTable.waveMonths,
			sent: sql<number>`count(*)::int`,
			answered: sql<number>`count(${surveyInvitationsTable.answeredAt})::int`,
			expired: sql<number>`count(*) filter (where ${surveyInvitationsTable.answeredAt} is null and ${surveyInvitationsTable.expiresAt} <= ${now.toISOString()})::int`
		})
		.from(surveyInvitationsTable)
		.where(eq(surveyInvitationsTable.programmeId, programmeId))
		.groupBy(surveyInvitationsTable.waveMonths)
		.orderBy(asc(surveyInvitationsTable.waveMonths));
	return rows;
}

export type DepartureRow = DepartureReport & {
	caseReference: string;
	caseStage: string;
	/** The wave whose answer reported the departure. */
	waveMonths: number | null;
};

export async function findDepartures({
	db,
	programmeId,
	status,
	caseId
}: {
	db: Db;
	programmeId: string;
	status?: 'pending';
	caseId?: string;
}): Promise<DepartureRow[]> {
	const rows = await db
		.select({
			report: departureReportsTable,
			caseReference: casesTable.reference,
			caseStage: casesTable.stage,
			waveMonths: surveyAnswersTable.waveMonths
		})
		.from(departureReportsTable)
		.innerJoin(casesTable, eq(casesTable.id, departureReportsTable.caseId))
		.leftJoin(surveyAnswersTable, eq(surveyAnswersTable.id, departureReportsTable.answerId))
		.where(
			and(
				eq(departureReportsTable.programmeId, programmeId),
				status ? eq(departureReportsTable.status, status) : undefined,
				caseId ? eq(departureReportsTable.caseId, caseId) : undefined
			)
		)
		.orderBy(asc(departureReportsTable.createdAt));
	return rows.map((row) => ({
		...row.report,
		caseReference: row.caseReference,
		caseStage: row.caseStage,
		waveMonths: row.waveMonths
	}));
}

export async function findDepartureById({
	db,
	programmeId,
	departureId,
	forUpdate = false
}: {
	db: Db;
	programmeId: string;
	departureId: string;
	forUpdate?: boolean;
}): Promise<DepartureReport | null> {
	const query = db
		.select()
		.from(departureReportsTable)
		.where(
			and(eq(departureReportsTable.id, departureId), eq(departureReportsTable.programmeId, programmeId))
		);
	const [row] = forUpdate ? await query.for('update') : await query;
	return row ?? null;
}

export async function decideDeparture({
	db,
	departureId,
	status,
	userId,
	now
}: {
	db: Db;
	departureId: string;
	status: 'confirmed' | 'dismissed';
	userId: string;
	now: Date;
}): Promise<DepartureReport> {
	const [row] = await db
		.update(departureReportsTable)
		.set({ status, decidedBy: userId, decidedAt: now, updatedAt: now })
		.where(eq(departureReportsTable.id, departureId))
		.returning();
	return row;
}

export type SilentHousehold = {
	caseId: string;
	reference: string;
	stage: string;
	installedOn: string;
	installedCommuneCode: string | null;
	lastSignOfLifeAt: Date | null;
	firstName: string | null;
	lastName: string | null;
	phone: string | null;
	email: string | null;
	advisorId: string | null;
};

/**
 * Installed households (still here) whose last sign of life, or installation date when there is
 * none, is before `silentSince`: oldest first.
 */
export async function findSilentHouseholds({
	db,
	programmeId,
	silentSince,
	limit
}: {
	db: Db;
	programmeId: string;
	silentSince: Date;
	limit: number;
}): Promise<{ rows: SilentHousehold[]; total: number }> {
	const lastSign = sql`coalesce(${casesTable.lastSignOfLifeAt}, ${casesTable.installedOn}::timestamptz)`;
	const where = and(
		eq(casesTable.programmeId, programmeId),
		isNotNull(casesTable.installedOn),
		notInArray(casesTable.stage, EXIT_STAGES),
		isNull(casesTable.leftOn),
		sql`${lastSign} < ${silentSince.toISOString()}`
	);
	const rows = await db
		.select({
			caseId: casesTable.id,
			reference: casesTable.reference,
			stage: casesTable.stage,
			installedOn: casesTable.installedOn,
			installedCommuneCode: casesTable.installedCommuneCode,
			lastSignOfLifeAt: casesTable.lastSignOfLifeAt,
			firstName: personsTable.firstName,
			lastName: personsTable.lastName,
			phone: personsTable.phone,
			email: personsTable.email,
			advisorId: casesTable.advisorId
		})
		.from(casesTable)
		.leftJoin(
			personsTable,
			and(eq(personsTable.caseId, casesTable.id), eq(personsTable.householdRole, 'candidate'))
		)
		.where(where)
		.orderBy(asc(lastSign), asc(casesTable.id))
		.limit(limit);
	const [{ total }] = await db
		.select({ total: sql<number>`count(*)::int` })
		.from(casesTable)
		.where(where);
	return { rows: rows.map((row) => ({ ...row, installedOn: row.installedOn ?? '' })), total };
}

export async function findCaseBasics({
	db,
	programmeId,
	caseId
}: {
	db: Db;
	programmeId: string;
	caseId: string;
}) {
	const [row] = await db
		.select({
			id: casesTable.id,
			stage: casesTable.stage,
			installedOn: casesTable.installedOn,
			lastSignOfLifeAt: casesTable.lastSignOfLifeAt
		})
		.from(casesTable)
		.where(and(eq(casesTable.id, caseId), eq(casesTable.programmeId, programmeId)));
	return row ?? null;
}

export async function findCaseInvitations({
	db,
	programmeId,
	caseId
}: {
	db: Db;
	programmeId: string;
	caseId: string;
}): Promise<Array<SurveyInvitation & { answer: SurveyAnswer | null }>> {
	const rows = await db
		.select({ invitation: surveyInvitationsTable, answer: surveyAnswersTable })
		.from(surveyInvitationsTable)
		.leftJoin(surveyAnswersTable, eq(surveyAnswersTable.invitationId, surveyInvitationsTable.id))
		.where(
			and(eq(surveyInvitationsTable.programmeId, programmeId), eq(surveyInvitationsTable.caseId, caseId))
		)
		.orderBy(asc(surveyInvitationsTable.waveMonths));
	return rows.map((row) => ({ ...row.invitation, answer: row.answer }));
}
