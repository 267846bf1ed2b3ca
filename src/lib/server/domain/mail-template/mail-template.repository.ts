import { and, asc, desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import {
	caseTargetVillagesTable,
	communesTable,
	mailMessagesTable,
	mailTemplatesTable,
	programmesTable,
	membershipsTable,
	usersTable,
	villagesTable,
	type MailMessage,
	type MailTemplate
} from '../../db/schema/index.ts';

/** Every query here filters by programme_id. */

export type MailTemplateListItem = Pick<
	MailTemplate,
	'id' | 'name' | 'locale' | 'subject' | 'isDemo' | 'updatedAt' | 'updatedBy'
>;

export async function findMailTemplates({
	db,
	programmeId
}: {
	db: Db;
	programmeId: string;
}): Promise<MailTemplateListItem[]> {
	return db
		.select({
			id: mailTemplatesTable.id,
			name: mailTemplatesTable.name,
			locale: mailTemplatesTable.locale,
			subject: mailTemplatesTable.subject,
			isDemo: mailTemplatesTable.isDemo,
			updatedAt: mailTemplatesTable.updatedAt,
			updatedBy: mailTemplatesTable.updatedBy
		})
		.from(mailTemplatesTable)
		.where(eq(mailTemplatesTable.programmeId, programmeId))
		.orderBy(asc(mailTemplatesTable.name), asc(mailTemplatesTable.locale));
}

export async function findMailTemplateById({
	db,
	programmeId,
	templateId
}: {
	db: Db;
	programmeId: string;
	templateId: string;
}): Promise<MailTemplate | null> {
	const [template] = await db
		.select()
		.from(mailTemplatesTable)
		.where(and(eq(mailTemplatesTable.programmeId, programmeId), eq(mailTemplatesTable.id, templateId)));
	return template ?? null;
}

export async function insertMailTemplate({
	db,
	values
}: {
	db: Db;
	values: typeof mailTemplatesTable.$inferInsert;
}): Promise<MailTemplate> {
	const [created] = await db.insert(mailTemplatesTable).values(values).returning();
	return created;
}

export async function updateMailTemplate({
	db,
	programmeId,
	templateId,
	values
}: {
	db: Db;
	programmeId: string;
	templateId: string;
	values: Partial<typeof mailTemplatesTable.$inferInsert>;
}): Promise<MailTemplate | null> {
	const [updated] = await db
		.update(mailTemplatesTable)
		.set(values)
		.where(and(eq(mailTemplatesTable.programmeId, programmeId), eq(mailTemplatesTable.id, templateId)))
		.returning();
	return updated ?? null;
}

export async function deleteMailTemplate({
	db,
	programmeId,
	templateId
}: {
	db: Db;
	programmeId: string;
	templateId: string;
}): Promise<boolean> {
	const deleted = await db
		.delete(mailTemplatesTable)
		.where(and(eq(mailTemplatesTable.programmeId, programmeId), eq(mailTemplatesTable.id, templateId)))
		.returning({ id: mailTemplatesTable.id });
	return deleted.length > 0;
}

/** The names of a case's target villages (their communes), by name. */
export async function findCaseVillageNames({ db, caseId }: { db: Db; caseId: string }): Promise<string[]> {
	const rows = await db
		.select({ name: communesTable.name })
		.from(caseTargetVillagesTable)
		.innerJoin(villagesTable, eq(villagesTable.id, caseTargetVillagesTable.villageId))
		.innerJoin(communesTable, eq(communesTable.code, villagesTable.communeCode))
		.where(eq(caseTargetVillagesTable.caseId, caseId))
		.orderBy(asc(communesTable.name));
	return rows.map((row) => row.name);
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

export async function findUserName({
	db,
	programmeId,
	userId
}: {
	db: Db;
	programmeId: string;
	userId: string;
}): Promise<string | null> {
	const [user] = await db
		.select({ name: usersTable.name })
		.from(usersTable)
		.innerJoin(membershipsTable, eq(membershipsTable.userId, usersTable.id))
		.where(and(eq(membershipsTable.programmeId, programmeId), eq(usersTable.id, userId)));
	return user?.name ?? null;
}

/** What the case page shows of a message (bodies stay in the outbox). */
export type CaseMailEntry = Pick<
	MailMessage,
	'id' | 'toAddress' | 'subject' | 'status' | 'attempts' | 'lastError' | 'sentAt' | 'createdAt'
>;

export async function findCaseMails({
	db,
	programmeId,
	caseId
}: {
	db: Db;
	programmeId: string;
	caseId: string;
}): Promise<CaseMailEntry[]> {
	return db
		.select({
			id: mailMessagesTable.id,
			toAddress: mailMessagesTable.toAddress,
			subject: mailMessagesTable.subject,
			status: mailMessagesTable.status,
			attempts: mailMessagesTable.attempts,
			lastError: mailMessagesTable.lastError,
			sentAt: mailMessagesTable.sentAt,
			createdAt: mailMessagesTable.createdAt
		})
		.from(mailMessagesTable)
		.where(and(eq(mailMessagesTable.programmeId, programmeId), eq(mailMessagesTable.caseId, caseId)))
		.orderBy(desc(mailMessagesTable.createdAt), desc(mailMessagesTable.id));
}

export async function findCaseMailById({
	db,
	programmeId,
	caseId,
	messageId
}: {
	db: Db;
	programmeId: string;
	caseId: string;
	messageId: string;
}): Promise<MailMessage | null> {
	const [message] = await db
		.select()
		.from(mailMessagesTable)
		.where(
			and(
				eq(mailMessagesTable.programmeId, programmeId),
				eq(mailMessagesTable.caseId, caseId),
				eq(mailMessagesTable.id, messageId)
			)
		);
	return message ?? null;
}
