import { index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { id, timestamps } from '../columns.ts';
import { casesTable } from './cases.ts';
import { programmesTable } from './programmes.ts';

export const MAIL_STATUSES = ['queued', 'sent', 'failed', 'held'] as const;
/**
 * queued: waiting to be sent (or retried); sent: accepted by the SMTP server;
 * failed: gave up after the last attempt; held: no SMTP configured, readable in the outbox.
 */
export type MailStatus = (typeof MAIL_STATUSES)[number];

/** The outbox: every message soho sends is written here first, in the caller's transaction. */
export const mailMessagesTable = pgTable(
	'mail_messages',
	{
		id: id('mail'),
		programmeId: text('programme_id').references(() => programmesTable.id, { onDelete: 'cascade' }),
		/** What the message is for, e.g. 'account.password_reset'. */
		kind: text('kind').notNull(),
		/** The case the message was sent from (messages sent to a household from its case page). */
		caseId: text('case_id').references(() => casesTable.id, { onDelete: 'set null' }),
		toAddress: text('to_address').notNull(),
		subject: text('subject').notNull(),
		textBody: text('text_body').notNull(),
		htmlBody: text('html_body'),
		status: text('status').$type<MailStatus>().notNull().default('queued'),
		attempts: integer('attempts').notNull().default(0),
		lastError: text('last_error'),
		nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
		sentAt: timestamp('sent_at', { withTimezone: true }),
		...timestamps()
	},
	(table) => [
		// The sender picks due queued messages.
		index('mail_messages_due_idx').on(table.status, table.nextAttemptAt),
		// Admins read the outbox of their programme, newest first.
		index('mail_messages_programme_idx').on(table.programmeId, table.createdAt),
		// A case page lists the messages sent from it.
		index('mail_messages_case_idx').on(table.caseId, table.createdAt)
	]
);

export type MailMessage = typeof mailMessagesTable.$inferSelect;
