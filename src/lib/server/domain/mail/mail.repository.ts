import { and, asc, count, desc, eq, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import { mailMessagesTable, type MailMessage, type MailStatus } from '../../db/schema/index.ts';
import { ofActiveProgramme } from '../../db/active-programme.ts';

export async function insertMailMessage({
	db,
	message
}: {
	db: Db;
	message: typeof mailMessagesTable.$inferInsert;
}): Promise<MailMessage> {
	const [created] = await db.insert(mailMessagesTable).values(message).returning();
	return created;
}

/** A message of the programme; one of another programme, or of none (instance mail), is not found. */
export async function findMailMessageById({
	db,
	programmeId,
	messageId
}: {
	db: Db;
	programmeId: string;
	messageId: string;
}): Promise<MailMessage | null> {
	const [message] = await db
		.select()
		.from(mailMessagesTable)
		.where(and(eq(mailMessagesTable.id, messageId), eq(mailMessagesTable.programmeId, programmeId)));
	return message ?? null;
}

/** The columns the outbox list shows (bodies are read one message at a time). */
export const outboxEntryColumns = {
	id: mailMessagesTable.id,
	kind: mailMessagesTable.kind,
	toAddress: mailMessagesTable.toAddress,
	subject: mailMessagesTable.subject,
	status: mailMessagesTable.status,
	attempts: mailMessagesTable.attempts,
	lastError: mailMessagesTable.lastError,
	nextAttemptAt: mailMessagesTable.nextAttemptAt,
	sentAt: mailMessagesTable.sentAt,
	createdAt: mailMessagesTable.createdAt
};
export type OutboxEntry = Pick<MailMessage, keyof typeof outboxEntryColumns>;

export async function findOutboxEntries({
	db,
	programmeId,
	status,
	limit,
	offset
}: {
	db: Db;
	programmeId: string;
	status?: MailStatus;
	limit: number;
	offset: number;
}): Promise<{ entries: OutboxEntry[]; total: number }> {
	const where: SQL | undefined = and(
		eq(mailMessagesTable.programmeId, programmeId),
		status ? eq(mailMessagesTable.status, status) : undefined
	);
	const entries = await db
		.select(outboxEntryColumns)
		.from(mailMessagesTable)
		.where(where)
		.orderBy(desc(mailMessagesTable.createdAt), desc(mailMessagesTable.id))
		.limit(limit)
		.offset(offset);
	const [{ total }] = await db.select({ total: count() }).from(mailMessagesTable).where(where);
	return { entries, total: Number(total) };
}

/**
 * Claims up to `limit` due queued messages: counts the attempt and pushes
 * next_attempt_at to `leaseUntil`, so no other worker picks them while they are being
 * sent, and a crash mid-send only delays them. SKIP LOCKED lets several server
 * processes share the queue on PostgreSQL. Must run inside a transaction.
 */
export async function claimDueMailMessages({
	db,
	now,
	limit,
	leaseUntil
}: {
	db: Db;
	now: Date;
	limit: number;
	leaseUntil: (attempts: number) => Date;
}): Promise<MailMessage[]> {
	const due = await db
		.select({ id: mailMessagesTable.id, attempts: mailMessagesTable.attempts })
		.from(mailMessagesTable)
		.where(
			and(
				eq(mailMessagesTable.status, 'queued'),
				lte(mailMessagesTable.nextAttemptAt, now),
				// A suspended programme's mail is held, queued, and goes once it is resumed; instance
				// mail (no programme) always goes.
				or(isNull(mailMessagesTable.programmeId), ofActiveProgramme(mailMessagesTable.programmeId))
			)
		)
		.orderBy(asc(mailMessagesTable.nextAttemptAt), asc(mailMessagesTable.id))
		.limit(limit)
		.for('update', { skipLocked: true });
	const claimed: MailMessage[] = [];
	for (const { id, attempts } of due) {
		const [message] = await db
			.update(mailMessagesTable)
			.set({ attempts: sql`${mailMessagesTable.attempts} + 1`, nextAttemptAt: leaseUntil(attempts + 1) })
			.where(eq(mailMessagesTable.id, id))
			.returning();
		claimed.push(message);
	}
	return claimed;
}

/** Records a result, only if the message is still the claimed attempt (an admin may have changed it). */
export async function updateClaimedMailMessage({
	db,
	messageId,
	attempts,
	values
}: {
	db: Db;
	messageId: string;
	attempts: number;
	values: Partial<Pick<MailMessage, 'status' | 'lastError' | 'nextAttemptAt' | 'sentAt'>>;
}): Promise<boolean> {
	const updated = await db
		.update(mailMessagesTable)
		.set(values)
		.where(
			and(
				eq(mailMessagesTable.id, messageId),
				eq(mailMessagesTable.status, 'queued'),
				eq(mailMessagesTable.attempts, attempts)
			)
		)
		.returning({ id: mailMessagesTable.id });
	return updated.length > 0;
}

export async function updateMailMessageStatus({
	db,
	messageId,
	fromStatuses,
	values
}: {
	db: Db;
	messageId: string;
	fromStatuses: MailStatus[];
	values: Partial<Pick<MailMessage, 'status' | 'attempts' | 'lastError' | 'nextAttemptAt'>>;
}): Promise<MailMessage | null> {
	const [message] = await db
		.update(mailMessagesTable)
		.set(values)
		.where(and(eq(mailMessagesTable.id, messageId), inArray(mailMessagesTable.status, fromStatuses)))
		.returning();
	return message ?? null;
}
