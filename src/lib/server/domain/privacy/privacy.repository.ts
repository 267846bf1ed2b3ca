import {
	and,
	eq,
	getTableColumns,
	ilike,
	inArray,
	is,
	isNull,
	lt,
	ne,
	notInArray,
	or,
	sql,
	type SQL
} from 'drizzle-orm';
import { getTableConfig, PgTable, type PgColumn } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/index.ts';
import * as schema from '../../db/schema/index.ts';
import {
	auditEntriesTable,
	authAccountsTable,
	casesTable,
	erasuresTable,
	eventRegistrationsTable,
	invitationsTable,
	mailMessagesTable,
	memberProfilesTable,
	membershipsTable,
	personsTable,
	privacyRetentionSettingsTable,
	sessionsTable,
	signInAttemptsTable,
	signInUnlocksTable,
	surveyInvitationsTable,
	usersTable,
	verificationsTable,
	type Person,
	type PrivacyRetentionSettings
} from '../../db/schema/index.ts';

/*
 * Every query filters by programme_id, or by the ids of one person (their row, their case,
 * their accounts), which were looked up in the programme first. The instance-wide retention
 * rules (sign-in attempts, session IP addresses) say so in their names.
 */

/** What identifies one person across tables: their row, case, accounts, member profiles and addresses. */
export type PersonKeys = {
	persons: string[];
	cases: string[];
	users: string[];
	member_profiles: string[];
	emails: string[];
};

/** The tables an access request reads a person's rows from, by foreign key. */
export const PERSON_KEY_TABLES = ['persons', 'cases', 'users', 'member_profiles'] as const;
type KeyTable = (typeof PERSON_KEY_TABLES)[number];

/** Every table of the schema, by SQL name. */
export function schemaTables(): Map<string, PgTable> {
	const tables = new Map<string, PgTable>();
	for (const value of Object.values(schema)) {
		if (is(value, PgTable)) tables.set(getTableConfig(value).name, value);
	}
	return tables;
}

/** The columns of a table that point at persons, cases, users or member profiles (its own id included). */
export function personLinksOf(table: PgTable): { column: PgColumn; target: KeyTable }[] {
	const config = getTableConfig(table);
	const links: { column: PgColumn; target: KeyTable }[] = [];
	for (const fk of config.foreignKeys) {
		const reference = fk.reference();
		const target = getTableConfig(reference.foreignTable).name;
		if ((PERSON_KEY_TABLES as readonly string[]).includes(target) && reference.columns.length === 1) {
			links.push({ column: reference.columns[0], target: target as KeyTable });
		}
	}
	if ((PERSON_KEY_TABLES as readonly string[]).includes(config.name)) {
		const idColumn = config.columns.find((column) => column.name === 'id');
		if (idColumn) links.push({ column: idColumn, target: config.name as KeyTable });
	}
	return links;
}

/**
 * Rows that name a person without a foreign key: mail and registrations by address, audit
 * entries by the id they are about, sign-in attempts and unlock links by email, erasures by person id.
 */
function extraConditions(name: string, keys: PersonKeys): SQL[] {
	const emails = keys.emails;
	const anyOf = (column: PgColumn, values: string[]) => (values.length ? [inArray(column, values)] : []);
	switch (name) {
		case 'mail_messages':
			return anyOf(mailMessagesTable.toAddress, emails);
		case 'event_registrations':
			return anyOf(eventRegistrationsTable.email, emails);
		case 'invitations':
			return anyOf(invitationsTable.email, emails);
		case 'sign_in_attempts':
			return anyOf(signInAttemptsTable.email, emails);
		case 'sign_in_unlocks':
			return anyOf(signInUnlocksTable.email, emails);
		case 'survey_invitations':
			return anyOf(surveyInvitationsTable.toAddress, emails);
		case 'verifications':
			return anyOf(verificationsTable.value, keys.users);
		case 'erasures':
			return anyOf(erasuresTable.personId, keys.persons);
		case 'audit_entries':
			return [
				...anyOf(auditEntriesTable.entityId, [
					...keys.persons,
					...keys.cases,
					...keys.users,
					...keys.member_profiles
				]),
				...anyOf(auditEntriesTable.caseId, keys.cases)
			];
		default:
			return [];
	}
}

/** The condition selecting a person's rows in one table, or null when the table cannot hold any. */
export function personRowsCondition(name: string, table: PgTable, keys: PersonKeys): SQL | null {
	const conditions: SQL[] = [];
	for (const { column, target } of personLinksOf(table)) {
		// Other members of the household are not the requester's data: only their own person row.
		const values = keys[target];
		if (values.length) conditions.push(inArray(column, values));
	}
	conditions.push(...extraConditions(name, keys));
	if (conditions.length === 0) return null;
	return or(...conditions) ?? null;
}

/** Every row about a person, table by table (tables with no row are listed empty). */
export async function findPersonRows({
	db,
	keys
}: {
	db: Db;
	keys: PersonKeys;
}): Promise<Record<string, Record<string, unknown>[]>> {
	const out: Record<string, Record<string, unknown>[]> = {};
	for (const [name, table] of [...schemaTables()].sort(([a], [b]) => a.localeCompare(b))) {
		const condition = personRowsCondition(name, table, keys);
		if (!condition) continue;
		out[name] = (await db.select().from(table).where(condition)) as Record<string, unknown>[];
	}
	return out;
}

/** The keys of one person: their case, their accounts (as candidate, as member, by address) and profiles. */
export async function findPersonKeys({ db, person }: { db: Db; person: Person }): Promise<PersonKeys> {
	const [kase] = await db
		.select({ id: casesTable.id, candidateUserId: casesTable.candidateUserId })
		.from(casesTable)
		.where(and(eq(casesTable.programmeId, person.programmeId), eq(casesTable.id, person.caseId)));
	const profiles = await db
		.select({ id: memberProfilesTable.id, userId: memberProfilesTable.userId })
		.from(memberProfilesTable)
		.where(
			and(
				eq(memberProfilesTable.programmeId, person.programmeId),
				eq(memberProfilesTable.personId, person.id)
			)
		);
	const userIds = new Set(profiles.map((profile) => profile.userId));
	if (person.householdRole === 'candidate' && kase?.candidateUserId) userIds.add(kase.candidateUserId);
	if (person.email) {
		// An account of the programme with the person's address is theirs.
		const byEmail = await db
			.select({ id: usersTable.id })
			.from(usersTable)
			.innerJoin(membershipsTable, eq(membershipsTable.userId, usersTable.id))
			.where(and(eq(membershipsTable.programmeId, person.programmeId), eq(usersTable.email, person.email)));
		for (const row of byEmail) userIds.add(row.id);
	}
	const users = userIds.size
		? await db
				.select({ id: usersTable.id, email: usersTable.email })
				.from(usersTable)
				.where(inArray(usersTable.id, [...userIds]))
		: [];
	const userProfiles = users.length
		? await db
				.select({ id: memberProfilesTable.id })
				.from(memberProfilesTable)
				.where(
					and(
						eq(memberProfilesTable.programmeId, person.programmeId),
						inArray(
							memberProfilesTable.userId,
							users.map((user) => user.id)
						)
					)
				)
		: [];
	const emails = new Set<string>();
	if (person.email) emails.add(person.email.toLowerCase());
	for (const user of users) emails.add(user.email.toLowerCase());
	return {
		persons: [person.id],
		cases: kase ? [kase.id] : [],
		users: users.map((user) => user.id),
		member_profiles: [...new Set([...profiles.map((p) => p.id), ...userProfiles.map((p) => p.id)])],
		emails: [...emails]
	};
}

export async function findUserLabels({ db, userIds }: { db: Db; userIds: string[] }) {
	if (userIds.length === 0) return [];
	return db
		.select({ id: usersTable.id, name: usersTable.name, email: usersTable.email })
		.from(usersTable)
		.where(inArray(usersTable.id, userIds));
}

export async function findErasure({
	db,
	programmeId,
	personId
}: {
	db: Db;
	programmeId: string;
	personId: string;
}) {
	const [row] = await db
		.select()
		.from(erasuresTable)
		.where(and(eq(erasuresTable.programmeId, programmeId), eq(erasuresTable.personId, personId)));
	return row ?? null;
}

export async function insertErasure({ db, values }: { db: Db; values: typeof erasuresTable.$inferInsert }) {
	await db.insert(erasuresTable).values(values);
}

/* ------------------------------------------------------------------ erasure writes */

type ScrubbedTable = PgTable & { id: PgColumn };

/**
 * Free-text columns that may name a person, with the programme column each table is filtered
 * on and its case column. The erasure replaces the person's full name, email and phone wherever
 * they appear in the programme (a committee mail, a colleague's note), and also their first and
 * last names alone in the rows of their own case.
 */
export const SCRUBBED_COLUMNS: {
	table: ScrubbedTable;
	programme: PgColumn;
	caseColumn: PgColumn | null;
	columns: string[];
}[] = [
	{
		table: schema.casesTable,
		programme: schema.casesTable.programmeId,
		caseColumn: schema.casesTable.id,
		columns: ['wishedArea', 'howHeard', 'leftReason', 'abandonedReason']
	},
	{
		table: schema.personsTable,
		programme: schema.personsTable.programmeId,
		caseColumn: schema.personsTable.caseId,
		columns: ['firstName', 'lastName', 'profession', 'needs']
	},
	{
		table: schema.caseActivitiesTable,
		programme: schema.caseActivitiesTable.programmeId,
		caseColumn: schema.caseActivitiesTable.caseId,
		columns: ['summary', 'body', 'data']
	},
	{
		table: schema.caseStageChangesTable,
		programme: schema.caseStageChangesTable.programmeId,
		caseColumn: schema.caseStageChangesTable.caseId,
		columns: ['reason']
	},
	{
		table: schema.tasksTable,
		programme: schema.tasksTable.programmeId,
		caseColumn: schema.tasksTable.caseId,
		columns: ['title']
	},
	{
		table: schema.referralsTable,
		programme: schema.referralsTable.programmeId,
		caseColumn: schema.referralsTable.caseId,
		columns: ['message', 'declineReason', 'outcomeNote']
	},
	{
		table: schema.ambassadorPairingsTable,
		programme: schema.ambassadorPairingsTable.programmeId,
		caseColumn: schema.ambassadorPairingsTable.caseId,
		columns: ['note', 'endedReason', 'reasons']
	},
	{
		table: schema.departureReportsTable,
		programme: schema.departureReportsTable.programmeId,
		caseColumn: schema.departureReportsTable.caseId,
		columns: ['movedTo', 'reason']
	},
	{
		table: schema.surveyAnswersTable,
		programme: schema.surveyAnswersTable.programmeId,
		caseColumn: schema.surveyAnswersTable.caseId,
		columns: ['answers']
	},
	{
		table: schema.auditEntriesTable,
		programme: schema.auditEntriesTable.programmeId,
		caseColumn: schema.auditEntriesTable.caseId,
		columns: ['before', 'after', 'actorLabel']
	},
	{
		table: schema.caseImportsTable,
		programme: schema.caseImportsTable.programmeId,
		caseColumn: null,
		columns: ['rows']
	},
	{
		table: schema.mailMessagesTable,
		programme: schema.mailMessagesTable.programmeId,
		caseColumn: schema.mailMessagesTable.caseId,
		columns: ['subject', 'textBody', 'htmlBody', 'toAddress']
	},
	{
		table: schema.eventRegistrationsTable,
		programme: schema.eventRegistrationsTable.programmeId,
		caseColumn: null,
		columns: ['name']
	},
	{
		table: schema.invitationsTable,
		programme: schema.invitationsTable.programmeId,
		caseColumn: null,
		columns: ['name']
	},
	{
		table: schema.memberProfilesTable,
		programme: schema.memberProfilesTable.programmeId,
		caseColumn: schema.memberProfilesTable.caseId,
		columns: ['displayName', 'headline', 'services', 'story', 'website', 'ambassadorAvailability', 'skills']
	},
	{
		table: schema.erasuresTable,
		programme: schema.erasuresTable.programmeId,
		caseColumn: schema.erasuresTable.caseId,
		columns: ['reason']
	}
];

/**
 * Rows of a table of the programme whose columns mention one of the `broad` identifiers, or,
 * in the rows of the case, one of the `narrow` ones.
 */
export async function findRowsMentioning({
	db,
	entry,
	programmeId,
	caseId,
	broad,
	narrow
}: {
	db: Db;
	entry: (typeof SCRUBBED_COLUMNS)[number];
	programmeId: string;
	caseId: string;
	broad: string[];
	narrow: string[];
}): Promise<Record<string, unknown>[]> {
	const columns = getTableColumns(entry.table) as Record<string, PgColumn>;
	const mentionOf = (identifiers: string[]) =>
		or(
			...entry.columns.flatMap((key) =>
				identifiers.map((identifier) => ilike(sql`${columns[key]}::text`, `%${escapeLike(identifier)}%`))
			)
		);
	const where = [
		...(broad.length ? [mentionOf(broad)] : []),
		...(entry.caseColumn && narrow.length ? [and(eq(entry.caseColumn, caseId), mentionOf(narrow))] : [])
	];
	if (entry.columns.length === 0 || where.length === 0) return [];
	return (await db
		.select()
		.from(entry.table)
		.where(and(eq(entry.programme, programmeId), or(...where)))) as Record<string, unknown>[];
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function updateRowById({
	db,
	table,
	id,
	values
}: {
	db: Db;
	table: ScrubbedTable;
	id: string;
	values: Record<string, unknown>;
}): Promise<void> {
	await db.update(table).set(values).where(eq(table.id, id));
}

/** Mail sent to the person: the envelope stays (date, kind, status), the content and address go. */
export async function redactMailTo({
	db,
	programmeId,
	emails,
	body
}: {
	db: Db;
	programmeId: string;
	emails: string[];
	body: string;
}): Promise<number> {
	if (emails.length === 0) return 0;
	const rows = await db
		.update(mailMessagesTable)
		.set({
			subject: body,
			textBody: body,
			htmlBody: null,
			toAddress: sql`'erased+' || ${mailMessagesTable.id} || '@erased.invalid'`
		})
		.where(and(eq(mailMessagesTable.programmeId, programmeId), inArray(mailMessagesTable.toAddress, emails)))
		.returning({ id: mailMessagesTable.id });
	return rows.length;
}

/** Registrations, survey invitations and invitations by the person's address or account. */
export async function anonymiseAddressRows({
	db,
	programmeId,
	emails,
	userIds,
	name
}: {
	db: Db;
	programmeId: string;
	emails: string[];
	userIds: string[];
	name: string;
}): Promise<void> {
	const registrationsOf = [
		...(emails.length ? [inArray(eventRegistrationsTable.email, emails)] : []),
		...(userIds.length ? [inArray(eventRegistrationsTable.userId, userIds)] : [])
	];
	if (registrationsOf.length) {
		await db
			.update(eventRegistrationsTable)
			.set({ name, email: sql`'erased+' || ${eventRegistrationsTable.id} || '@erased.invalid'` })
			.where(and(eq(eventRegistrationsTable.programmeId, programmeId), or(...registrationsOf)));
	}
	if (emails.length === 0) return;
	await db
		.update(surveyInvitationsTable)
		.set({ toAddress: sql`'erased+' || ${surveyInvitationsTable.id} || '@erased.invalid'` })
		.where(
			and(
				eq(surveyInvitationsTable.programmeId, programmeId),
				inArray(surveyInvitationsTable.toAddress, emails)
			)
		);
	await db
		.update(invitationsTable)
		.set({ name, email: sql`'erased+' || ${invitationsTable.id} || '@erased.invalid'` })
		.where(and(eq(invitationsTable.programmeId, programmeId), inArray(invitationsTable.email, emails)));
}

/**
 * The person's accounts: the user row stays (member profiles and history point at it) without
 * name, address or picture; credentials, sessions and reset tokens are deleted and the
 * memberships deactivated, so nobody can sign in as them again. Sign-in attempts with their
 * address are deleted (they are instance-wide, keyed by the address).
 */
export async function removeAccounts({
	db,
	userIds,
	emails,
	name,
	at
}: {
	db: Db;
	userIds: string[];
	emails: string[];
	name: string;
	at: Date;
}): Promise<void> {
	if (emails.length) {
		await db.delete(signInAttemptsTable).where(inArray(signInAttemptsTable.email, emails));
		await db.delete(signInUnlocksTable).where(inArray(signInUnlocksTable.email, emails));
	}
	if (userIds.length === 0) return;
	await db.delete(sessionsTable).where(inArray(sessionsTable.userId, userIds));
	await db.delete(authAccountsTable).where(inArray(authAccountsTable.userId, userIds));
	await db.delete(verificationsTable).where(inArray(verificationsTable.value, userIds));
	await db
		.update(membershipsTable)
		.set({ status: 'deactivated', deactivatedAt: at })
		.where(and(inArray(membershipsTable.userId, userIds), eq(membershipsTable.status, 'active')));
	await db
		.update(usersTable)
		.set({
			name,
			email: sql`'erased+' || ${usersTable.id} || '@erased.invalid'`,
			image: null,
			emailVerified: false
		})
		.where(inArray(usersTable.id, userIds));
	await db
		.update(memberProfilesTable)
		.set({
			displayName: name,
			headline: null,
			services: null,
			story: null,
			website: null,
			skills: [],
			ambassadorAvailability: null,
			isListed: false
		})
		.where(inArray(memberProfilesTable.userId, userIds));
}

/* ------------------------------------------------------------------ retention */

export async function findRetentionSettings({
	db,
	programmeId
}: {
	db: Db;
	programmeId: string;
}): Promise<PrivacyRetentionSettings | null> {
	const [row] = await db
		.select()
		.from(privacyRetentionSettingsTable)
		.where(eq(privacyRetentionSettingsTable.programmeId, programmeId));
	return row ?? null;
}

export async function upsertRetentionSettings({
	db,
	values
}: {
	db: Db;
	values: typeof privacyRetentionSettingsTable.$inferInsert;
}): Promise<PrivacyRetentionSettings> {
	const [row] = await db
		.insert(privacyRetentionSettingsTable)
		.values(values)
		.onConflictDoUpdate({
			target: privacyRetentionSettingsTable.programmeId,
			set: {
				leadInactiveMonths: values.leadInactiveMonths,
				mailBodyDays: values.mailBodyDays,
				updatedBy: values.updatedBy,
				updatedAt: values.updatedAt
			}
		})
		.returning();
	return row;
}

/**
 * Persons of leads silent since `before`: cases still at one of `stages` (the first stage, or
 * abandoned) whose last change and last sign of life are older, and not yet erased. Demo cases
 * are left out (synthetic data, re-seeded, labelled as such).
 */
export async function findInactiveLeadPersons({
	db,
	programmeId,
	stages,
	before
}: {
	db: Db;
	programmeId: string;
	stages: string[];
	before: Date;
}): Promise<{ personId: string; caseId: string }[]> {
	const erased = db
		.select({ personId: erasuresTable.personId })
		.from(erasuresTable)
		.where(eq(erasuresTable.programmeId, programmeId));
	return db
		.select({ personId: personsTable.id, caseId: casesTable.id })
		.from(personsTable)
		.innerJoin(casesTable, eq(casesTable.id, personsTable.caseId))
		.where(
			and(
				eq(casesTable.programmeId, programmeId),
				// Demo cases are synthetic, dated in the past on purpose and re-seeded: never purged.
				eq(casesTable.isDemo, false),
				inArray(casesTable.stage, stages),
				lt(casesTable.updatedAt, before),
				or(isNull(casesTable.lastSignOfLifeAt), lt(casesTable.lastSignOfLifeAt, before)),
				notInArray(personsTable.id, erased)
			)
		)
		.orderBy(casesTable.id, personsTable.id);
}

/** Bodies of mail of the programme older than `before` not yet redacted. */
export async function countMailBodiesBefore({
	db,
	programmeId,
	before,
	redacted
}: {
	db: Db;
	programmeId: string;
	before: Date;
	redacted: string;
}): Promise<number> {
	const [row] = await db
		.select({ n: sql<number>`count(*)::int` })
		.from(mailMessagesTable)
		.where(mailBodiesCondition(programmeId, before, redacted));
	return Number(row?.n ?? 0);
}

const mailBodiesCondition = (programmeId: string, before: Date, redacted: string) =>
	and(
		eq(mailMessagesTable.programmeId, programmeId),
		lt(mailMessagesTable.createdAt, before),
		inArray(mailMessagesTable.status, ['sent', 'failed', 'held']),
		ne(mailMessagesTable.textBody, redacted)
	);

export async function redactMailBodiesBefore({
	db,
	programmeId,
	before,
	redacted
}: {
	db: Db;
	programmeId: string;
	before: Date;
	redacted: string;
}): Promise<number> {
	const rows = await db
		.update(mailMessagesTable)
		.set({ textBody: redacted, htmlBody: null })
		.where(mailBodiesCondition(programmeId, before, redacted))
		.returning({ id: mailMessagesTable.id });
	return rows.length;
}

/** Instance-wide: sign-in attempts (email and IP address) older than `before`. */
export async function countSignInAttemptsBeforeAcrossProgrammes({ db, before }: { db: Db; before: Date }) {
	const [row] = await db
		.select({ n: sql<number>`count(*)::int` })
		.from(signInAttemptsTable)
		.where(lt(signInAttemptsTable.createdAt, before));
	return Number(row?.n ?? 0);
}

export async function deleteSignInAttemptsBeforeAcrossProgrammes({ db, before }: { db: Db; before: Date }) {
	const rows = await db
		.delete(signInAttemptsTable)
		.where(lt(signInAttemptsTable.createdAt, before))
		.returning({ id: signInAttemptsTable.id });
	return rows.length;
}

/** Instance-wide: IP addresses and browsers of sessions opened before `before`. */
export async function countSessionIpsBeforeAcrossProgrammes({ db, before }: { db: Db; before: Date }) {
	const [row] = await db
		.select({ n: sql<number>`count(*)::int` })
		.from(sessionsTable)
		.where(
			and(
				lt(sessionsTable.createdAt, before),
				sql`(${sessionsTable.ipAddress} is not null or ${sessionsTable.userAgent} is not null)`
			)
		);
	return Number(row?.n ?? 0);
}

export async function clearSessionIpsBeforeAcrossProgrammes({ db, before }: { db: Db; before: Date }) {
	const rows = await db
		.update(sessionsTable)
		.set({ ipAddress: null, userAgent: null })
		.where(
			and(
				lt(sessionsTable.createdAt, before),
				sql`(${sessionsTable.ipAddress} is not null or ${sessionsTable.userAgent} is not null)`
			)
		)
		.returning({ id: sessionsTable.id });
	return rows.length;
}
