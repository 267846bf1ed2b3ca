import * as v from 'valibot';
import { translate } from '../../../i18n/index.ts';
import type { Actor } from '../../auth/actor.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/index.ts';
import type { MailMessage } from '../../db/schema/index.ts';
import { createLogger } from '../../logger.ts';
import { parseInput } from '../../validation.ts';
import { mailNotFound, mailNotRetryable } from './mail.errors.ts';
import {
	claimDueMailMessages,
	findMailMessageById,
	findOutboxEntries,
	insertMailMessage,
	updateClaimedMailMessage,
	updateMailMessageStatus,
	type OutboxEntry
} from './mail.repository.ts';
import {
	assertCanReadOutbox,
	initialMailStatus,
	nextAttemptAfter,
	redactSecretLinks,
	retriedStatus
} from './mail.rules.ts';
import {
	listOutboxSchema,
	mailMessageIdSchema,
	queueMailSchema,
	type ListOutboxInput,
	type QueueMailInput
} from './mail.schemas.ts';

const log = createLogger({ namespace: 'mail:service' });

export type { OutboxEntry };

/** What deliverDueMail hands to the transport (a nodemailer transport fits; its defaults give `from`). */
export type OutgoingMail = {
	to: string;
	subject: string;
	text: string;
	html?: string;
	headers: Record<string, string>;
};
export type MailTransport = { sendMail: (mail: OutgoingMail) => Promise<unknown> };

/** SMTP is configured when SMTP_URL is set; otherwise mail is held in the outbox. */
export function isSmtpConfigured(config: Pick<Config, 'smtpUrl'>): boolean {
	return Boolean(config.smtpUrl);
}

/**
 * Writes one message for one recipient into the outbox, in the caller's transaction
 * (pass the transaction as `db`). It is sent after commit by the mail worker
 * (call `getApp().mailer.kick()` after commit to send it at once); without SMTP it is
 * 'held' and admins read it in the outbox.
 */
export async function queueMail(
	input: QueueMailInput,
	{ db, config }: { db: Db; config: Pick<Config, 'smtpUrl'> }
): Promise<{ message: MailMessage }> {
	const data = parseInput(queueMailSchema, input);
	const message = await insertMailMessage({
		db,
		message: {
			programmeId: data.programmeId,
			caseId: data.caseId ?? null,
			kind: data.kind,
			toAddress: data.to,
			subject: data.subject,
			textBody: data.text,
			htmlBody: data.html ?? null,
			status: initialMailStatus(isSmtpConfigured(config)),
			// The worker compares with its own clock, so the due date comes from the same clock.
			nextAttemptAt: new Date()
		}
	});
	log.info(
		{ messageId: message.id, kind: message.kind, programmeId: message.programmeId, status: message.status },
		'Mail queued'
	);
	return { message };
}

export type DeliveryResult = { sent: number; failed: number; retried: number };

/** Keeps a transport error short and on one line; it is shown to admins in the outbox. */
function describeSendError(error: unknown): string {
	const message = error instanceof Error ? error.message : String(error);
	return message.replace(/\s+/g, ' ').trim().slice(0, 1000) || 'Unknown error';
}

/**
 * Sends the due queued messages, at least once each:
 * 1. a short transaction claims them (attempts + 1, next_attempt_at pushed to the retry
 *    time), so a crash while sending only delays them and no other worker sends them;
 * 2. each is sent outside any transaction;
 * 3. the result is recorded: sent, or retried later with backoff, or failed after
 *    MAIL_MAX_ATTEMPTS attempts, keeping last_error.
 */
export async function deliverDueMail(
	{ limit = 20 }: { limit?: number },
	{ db, transport, now = new Date() }: { db: Db; transport: MailTransport; now?: Date }
): Promise<DeliveryResult> {
	const claimed = await db.transaction((tx) =>
		claimDueMailMessages({
			db: tx,
			now,
			limit,
			// Until the result is recorded, the message is due again at its retry time.
			leaseUntil: (attempts) => nextAttemptAfter(attempts, now) ?? nextAttemptAfter(1, now)!
		})
	);
	const result: DeliveryResult = { sent: 0, failed: 0, retried: 0 };
	for (const message of claimed) {
		try {
			await transport.sendMail({
				to: message.toAddress,
				subject: message.subject,
				text: message.textBody,
				...(message.htmlBody ? { html: message.htmlBody } : {}),
				headers: { 'X-Soho-Message-Id': message.id, 'X-Soho-Kind': message.kind }
			});
		} catch (error) {
			const retryAt = nextAttemptAfter(message.attempts, now);
			await updateClaimedMailMessage({
				db,
				messageId: message.id,
				attempts: message.attempts,
				values: retryAt
					? { lastError: describeSendError(error), nextAttemptAt: retryAt }
					: { status: 'failed', lastError: describeSendError(error) }
			});
			const code = (error ?? {}) as { code?: unknown; responseCode?: unknown };
			log.warn(
				{
					messageId: message.id,
					attempt: message.attempts,
					errorCode: code.code,
					responseCode: code.responseCode,
					willRetry: retryAt !== null
				},
				'Mail not sent'
			);
			if (retryAt) result.retried++;
			else result.failed++;
			continue;
		}
		await updateClaimedMailMessage({
			db,
			messageId: message.id,
			attempts: message.attempts,
			values: { status: 'sent', sentAt: now, lastError: null }
		});
		log.info({ messageId: message.id, attempt: message.attempts }, 'Mail sent');
		result.sent++;
	}
	return result;
}

/** The outbox of the actor's programme, newest first. Admins only. */
export async function listOutbox(
	{ actor, ...input }: { actor: Actor } & ListOutboxInput,
	{ db }: { db: Db }
): Promise<{ messages: OutboxEntry[]; total: number }> {
	assertCanReadOutbox(actor);
	const { status, limit, offset } = parseInput(listOutboxSchema, input);
	const { entries, total } = await findOutboxEntries({
		db,
		programmeId: actor.programmeId,
		status,
		limit,
		offset
	});
	return { messages: entries, total };
}

/** The message with its secret links hidden (the outbox view; only the mail worker reads the real bodies). */
function redactedForOutbox(message: MailMessage, actor: Actor): MailMessage {
	const placeholder = translate(actor.locale, 'mail_outbox_link_hidden');
	return {
		...message,
		textBody: redactSecretLinks(message.textBody, placeholder),
		htmlBody: message.htmlBody === null ? null : redactSecretLinks(message.htmlBody, placeholder)
	};
}

/**
 * One message of the actor's programme, with its bodies, secret links hidden (reset, unlock,
 * invitation, survey and cancel links are for the recipient only). Admins only; other
 * programmes answer not_found.
 */
export async function getOutboxMessage(
	{ actor, messageId }: { actor: Actor; messageId: string },
	{ db }: { db: Db }
): Promise<{ message: MailMessage }> {
	assertCanReadOutbox(actor);
	// A malformed id (e.g. typed in a URL) is simply a message that does not exist.
	if (!v.is(mailMessageIdSchema, messageId)) throw mailNotFound({ messageId });
	const message = await findMailMessageById({ db, programmeId: actor.programmeId, messageId });
	if (!message) throw mailNotFound({ messageId });
	return { message: redactedForOutbox(message, actor) };
}

/** Puts a failed (or held, once SMTP is configured) message back in the queue with fresh attempts. */
export async function retryMail(
	{ actor, messageId }: { actor: Actor; messageId: string },
	{ db, config }: { db: Db; config: Pick<Config, 'smtpUrl'> }
): Promise<{ message: MailMessage }> {
	return db.transaction(async (tx) => {
		const { message } = await getOutboxMessage({ actor, messageId }, { db: tx });
		const status = retriedStatus(message.status, isSmtpConfigured(config));
		if (!status) throw mailNotRetryable({ messageId: message.id, status: message.status });
		const updated = await updateMailMessageStatus({
			db: tx,
			messageId: message.id,
			fromStatuses: [message.status],
			values: { status, attempts: 0, nextAttemptAt: new Date() }
		});
		if (!updated) throw mailNotRetryable({ messageId: message.id });
		log.info({ messageId: message.id, userId: actor.userId, status }, 'Mail retried by an admin');
		return { message: redactedForOutbox(updated, actor) };
	});
}
