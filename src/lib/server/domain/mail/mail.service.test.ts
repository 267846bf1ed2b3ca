import { eq } from 'drizzle-orm';
import { expect, test } from 'vitest';
import type { Actor } from '../../auth/actor.ts';
import type { Db } from '../../db/index.ts';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { mailMessagesTable, type Role } from '../../db/schema/index.ts';

import { createProgramme } from '../programme/programme.service.ts';
import { resumeProgramme, suspendProgramme } from '../programme/programme-instance.service.ts';
import { parseConfig } from '../../config.ts';
import { createTestUser } from '../../testing/factories.ts';
import { queuePasswordResetMail } from '../account/account.mails.ts';
import { MAIL_MAX_ATTEMPTS } from './mail.rules.ts';
import {
	deliverDueMail,
	getOutboxMessage,
	listOutbox,
	queueMail,
	retryMail,
	type MailTransport,
	type OutgoingMail
} from './mail.service.ts';
import { expectDomainError } from '../../testing/expectations.ts';

const NO_SMTP = { smtpUrl: undefined };
const WITH_SMTP = { smtpUrl: 'smtp://127.0.0.1:2525' };

async function makeProgramme(db: Db, slug: string) {
	const { programme } = await createProgramme({ input: { slug, name: slug, departements: ['32'] } }, { db });
	return programme;
}

function actorOf(programmeId: string, role: Role): Actor {
	return {
		userId: `usr_${role}`,
		name: 'Test',
		email: `${role}@example.org`,
		role,
		programmeId,
		organisationId: null,
		locale: 'fr',
		isDemo: false
	};
}

/** A transport that records messages and fails while `failing` is true. */
function fakeTransport() {
	const sent: OutgoingMail[] = [];
	const transport: MailTransport & { sent: OutgoingMail[]; failing: boolean } = {
		sent,
		failing: false,
		async sendMail(mail) {
			if (transport.failing) throw new Error('connect ECONNREFUSED 127.0.0.1:2525');
			sent.push(mail);
			return {};
		}
	};
	return transport;
}

const minutes = (n: number) => n * 60_000;

describeEachDb('mail outbox', (ctx) => {
	test("an admin reading another user's password-reset mail in the outbox sees no token; the mail worker sends the link", async () => {
		const programme = await makeProgramme(ctx.db, 'gers');
		const { actor: admin } = await createTestUser(ctx.db, {
			role: 'admin',
			programmeId: programme.id,
			email: 'admin@example.org'
		});
		const { user } = await createTestUser(ctx.db, {
			role: 'advisor',
			programmeId: programme.id,
			email: 'anna@example.org'
		});
		const token = 'SeCrEt-reset-token_0123456789abcdef';
		await queuePasswordResetMail({ user, token }, { db: ctx.db, config: parseConfig({ NODE_ENV: 'test' }) });
		const { messages } = await listOutbox({ actor: admin }, { db: ctx.db });
		expect(messages).toHaveLength(1);
		const { message } = await getOutboxMessage({ actor: admin, messageId: messages[0].id }, { db: ctx.db });
		expect(JSON.stringify(message)).not.toContain(token);
		expect(message.textBody).toContain('[lien masqué]');
		expect(message.htmlBody).toContain('[lien masqué]');
		const inEnglish = await getOutboxMessage(
			{ actor: { ...admin, locale: 'en' }, messageId: messages[0].id },
			{ db: ctx.db }
		);
		expect(inEnglish.message.textBody).toContain('[link hidden]');

		// The real body stays in the outbox for sending.
		await ctx.db.update(mailMessagesTable).set({ status: 'queued' });
		const transport = fakeTransport();
		await deliverDueMail({}, { db: ctx.db, transport, now: new Date(Date.now() + minutes(1)) });
		expect(transport.sent[0].text).toContain(`/reset-password?token=${token}`);
	});

	test('every kind of secret link is hidden in the outbox view, other links are kept', async () => {
		const programme = await makeProgramme(ctx.db, 'gers');
		const admin = actorOf(programme.id, 'admin');
		const links = [
			'https://soho.example/reset-password?token=abc123',
			'https://soho.example/unlock/tok_unlock-1',
			'https://soho.example/invitation/inv%2Btoken',
			'https://soho.example/survey/surveytoken32chars?lang=en',
			'https://soho.example/events/registrations/regtoken'
		];
		const { message } = await queueMail(
			{
				programmeId: programme.id,
				kind: 'case.message',
				to: 'someone@example.org',
				subject: 'Links',
				text: [...links, 'https://soho.example/events/evt_1'].join('\n'),
				html: links.map((link) => `<a href="${link}">${link}</a>`).join('')
			},
			{ db: ctx.db, config: NO_SMTP }
		);
		const { message: shown } = await getOutboxMessage(
			{ actor: admin, messageId: message.id },
			{ db: ctx.db }
		);
		for (const secret of ['abc123', 'tok_unlock-1', 'inv%2Btoken', 'surveytoken32chars', 'regtoken']) {
			expect(shown.textBody).not.toContain(secret);
			expect(shown.htmlBody).not.toContain(secret);
		}
		expect(shown.textBody).toContain('https://soho.example/events/evt_1');
	});

	test('without SMTP a queued message is held in the outbox', async () => {
		const programme = await makeProgramme(ctx.db, 'gers');
		const { message } = await queueMail(
			{
				programmeId: programme.id,
				kind: 'account.password_reset',
				to: 'alice@example.org',
				subject: 'Réinitialiser le mot de passe',
				text: 'Bonjour'
			},
			{ db: ctx.db, config: NO_SMTP }
		);
		expect(message.status).toBe('held');
		expect(message.toAddress).toBe('alice@example.org');
		const transport = fakeTransport();
		expect(await deliverDueMail({}, { db: ctx.db, transport })).toEqual({ sent: 0, failed: 0, retried: 0 });
		expect(transport.sent).toHaveLength(0);
	});

	test('with SMTP a message is queued and the worker sends it once', async () => {
		const programme = await makeProgramme(ctx.db, 'gers');
		const { message } = await queueMail(
			{
				programmeId: programme.id,
				kind: 'account.invite',
				to: 'bob@example.org',
				subject: 'Hi',
				text: 'Hello'
			},
			{ db: ctx.db, config: WITH_SMTP }
		);
		expect(message.status).toBe('queued');
		const transport = fakeTransport();
		expect(await deliverDueMail({}, { db: ctx.db, transport })).toEqual({ sent: 1, failed: 0, retried: 0 });
		expect(await deliverDueMail({}, { db: ctx.db, transport })).toEqual({ sent: 0, failed: 0, retried: 0 });
		expect(transport.sent).toEqual([
			expect.objectContaining({ to: 'bob@example.org', subject: 'Hi', text: 'Hello' })
		]);
		const [row] = await ctx.db.select().from(mailMessagesTable).where(eq(mailMessagesTable.id, message.id));
		expect(row).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
		expect(row.sentAt).toBeInstanceOf(Date);
	});

	test("a suspended programme's queued mail is held in the outbox and goes once the programme is resumed", async () => {
		const gers = await makeProgramme(ctx.db, 'gers');
		const lot = await makeProgramme(ctx.db, 'lot');
		const queue = (programmeId: string | null, to: string) =>
			queueMail(
				{ programmeId, kind: 'account.invite', to, subject: 'Hi', text: 'Hello' },
				{ db: ctx.db, config: WITH_SMTP }
			);
		const { message: held } = await queue(gers.id, 'gers@example.org');
		await queue(lot.id, 'lot@example.org');
		// Instance mail (no programme) is never held.
		await queue(null, 'instance@example.org');
		await suspendProgramme(
			{ by: 'operator', input: { programme: 'gers', reason: 'Convention échue' } },
			{ db: ctx.db }
		);
		const transport = fakeTransport();
		// Only the active programme's and the instance's mail leave; the suspended one's is not even attempted.
		expect(await deliverDueMail({}, { db: ctx.db, transport })).toEqual({ sent: 2, failed: 0, retried: 0 });
		expect(transport.sent.map((mail) => mail.to).sort()).toEqual(['instance@example.org', 'lot@example.org']);
		const [waiting] = await ctx.db.select().from(mailMessagesTable).where(eq(mailMessagesTable.id, held.id));
		expect(waiting).toMatchObject({ status: 'queued', attempts: 0 });
		expect(await deliverDueMail({}, { db: ctx.db, transport })).toEqual({ sent: 0, failed: 0, retried: 0 });

		await resumeProgramme({ by: 'operator', input: { programme: 'gers' } }, { db: ctx.db });
		expect(await deliverDueMail({}, { db: ctx.db, transport })).toEqual({ sent: 1, failed: 0, retried: 0 });
		expect(transport.sent.map((mail) => mail.to).at(-1)).toBe('gers@example.org');
		expect(transport.sent).toHaveLength(3);
	});

	test('a message goes to one recipient: a list of addresses is refused', async () => {
		const programme = await makeProgramme(ctx.db, 'gers');
		const base = { programmeId: programme.id, kind: 'account.invite' as const, subject: 'Hi', text: 'Hello' };
		await expectDomainError(
			queueMail({ ...base, to: 'a@example.org, b@example.org' }, { db: ctx.db, config: NO_SMTP }),
			'validation.invalid_input'
		);
		await expectDomainError(
			queueMail(
				{ ...base, to: 'a@example.org', subject: 'Hi\r\nBcc: x@evil.test' },
				{ db: ctx.db, config: NO_SMTP }
			),
			'validation.invalid_input'
		);
		expect(await ctx.db.select().from(mailMessagesTable)).toHaveLength(0);
	});

	test('a message queued in a transaction that rolls back is never written', async () => {
		const programme = await makeProgramme(ctx.db, 'gers');
		await ctx.db
			.transaction(async (tx) => {
				await queueMail(
					{
						programmeId: programme.id,
						kind: 'account.invite',
						to: 'a@example.org',
						subject: 'Hi',
						text: 'x'
					},
					{ db: tx, config: WITH_SMTP }
				);
				throw new Error('rollback');
			})
			.catch(() => {});
		expect(await ctx.db.select().from(mailMessagesTable)).toHaveLength(0);
	});

	test('a failing send is retried with backoff, then marked failed after the last attempt', async () => {
		const programme = await makeProgramme(ctx.db, 'gers');
		const { message } = await queueMail(
			{ programmeId: programme.id, kind: 'account.invite', to: 'a@example.org', subject: 'Hi', text: 'x' },
			{ db: ctx.db, config: WITH_SMTP }
		);
		const transport = fakeTransport();
		transport.failing = true;
		let now = new Date(Date.now() + 1000);
		const delays = [1, 5, 30, 120];
		for (let attempt = 1; attempt < MAIL_MAX_ATTEMPTS; attempt++) {
			expect(await deliverDueMail({}, { db: ctx.db, transport, now })).toEqual({
				sent: 0,
				failed: 0,
				retried: 1
			});
			const [row] = await ctx.db.select().from(mailMessagesTable).where(eq(mailMessagesTable.id, message.id));
			expect(row.status).toBe('queued');
			expect(row.attempts).toBe(attempt);
			expect(row.lastError).toContain('ECONNREFUSED');
			expect(row.nextAttemptAt.getTime()).toBe(now.getTime() + minutes(delays[attempt - 1]));
			// Not due yet just before the retry time.
			const early = new Date(row.nextAttemptAt.getTime() - 1000);
			expect(await deliverDueMail({}, { db: ctx.db, transport, now: early })).toEqual({
				sent: 0,
				failed: 0,
				retried: 0
			});
			now = row.nextAttemptAt;
		}
		expect(await deliverDueMail({}, { db: ctx.db, transport, now })).toEqual({
			sent: 0,
			failed: 1,
			retried: 0
		});
		const [row] = await ctx.db.select().from(mailMessagesTable).where(eq(mailMessagesTable.id, message.id));
		expect(row).toMatchObject({ status: 'failed', attempts: MAIL_MAX_ATTEMPTS });
		expect(row.lastError).toContain('ECONNREFUSED');

		// An admin puts it back in the queue; it is then sent.
		const admin = actorOf(programme.id, 'admin');
		const { message: retried } = await retryMail(
			{ actor: admin, messageId: message.id },
			{ db: ctx.db, config: WITH_SMTP }
		);
		expect(retried).toMatchObject({ status: 'queued', attempts: 0 });
		transport.failing = false;
		expect(await deliverDueMail({}, { db: ctx.db, transport, now: new Date(Date.now() + 1000) })).toEqual({
			sent: 1,
			failed: 0,
			retried: 0
		});
		await expectDomainError(
			retryMail({ actor: admin, messageId: message.id }, { db: ctx.db, config: WITH_SMTP }),
			'mail.not_retryable'
		);
	});

	test('two workers running at once never send the same message twice', async () => {
		const programme = await makeProgramme(ctx.db, 'gers');
		for (let i = 0; i < 12; i++) {
			await queueMail(
				{
					programmeId: programme.id,
					kind: 'account.invite',
					to: `p${i}@example.org`,
					subject: `S${i}`,
					text: 'x'
				},
				{ db: ctx.db, config: WITH_SMTP }
			);
		}
		const transport = fakeTransport();
		const now = new Date(Date.now() + 1000);
		const results = await Promise.all([
			deliverDueMail({ limit: 5 }, { db: ctx.db, transport, now }),
			deliverDueMail({ limit: 5 }, { db: ctx.db, transport, now }),
			deliverDueMail({ limit: 5 }, { db: ctx.db, transport, now })
		]);
		expect(results.reduce((sum, r) => sum + r.sent, 0)).toBe(12);
		expect(new Set(transport.sent.map((m) => m.to)).size).toBe(12);
		expect(transport.sent).toHaveLength(12);
	});

	test('only admins read the outbox, and only the messages of their programme', async () => {
		const gers = await makeProgramme(ctx.db, 'gers');
		const lot = await makeProgramme(ctx.db, 'lot');
		const { message: gersMessage } = await queueMail(
			{ programmeId: gers.id, kind: 'account.invite', to: 'a@example.org', subject: 'Gers', text: 'x' },
			{ db: ctx.db, config: NO_SMTP }
		);
		const { message: lotMessage } = await queueMail(
			{ programmeId: lot.id, kind: 'account.invite', to: 'b@example.org', subject: 'Lot', text: 'y' },
			{ db: ctx.db, config: NO_SMTP }
		);

		const gersAdmin = actorOf(gers.id, 'admin');
		const { messages, total } = await listOutbox({ actor: gersAdmin, limit: 50, offset: 0 }, { db: ctx.db });
		expect(total).toBe(1);
		expect(messages.map((m) => m.id)).toEqual([gersMessage.id]);
		expect(
			(await listOutbox({ actor: gersAdmin, status: 'sent', limit: 50, offset: 0 }, { db: ctx.db })).total
		).toBe(0);
		const { message } = await getOutboxMessage(
			{ actor: gersAdmin, messageId: gersMessage.id },
			{ db: ctx.db }
		);
		expect(message.textBody).toBe('x');

		// The admin of another programme: the message does not exist for them.
		await expectDomainError(
			getOutboxMessage({ actor: gersAdmin, messageId: lotMessage.id }, { db: ctx.db }),
			'mail.not_found'
		);
		await expectDomainError(
			retryMail({ actor: gersAdmin, messageId: lotMessage.id }, { db: ctx.db, config: WITH_SMTP }),
			'mail.not_found'
		);
		await expectDomainError(
			getOutboxMessage({ actor: gersAdmin, messageId: 'mail_doesnotexist000' }, { db: ctx.db }),
			'mail.not_found'
		);
		await expectDomainError(
			getOutboxMessage({ actor: gersAdmin, messageId: '../etc' }, { db: ctx.db }),
			'mail.not_found'
		);

		// An advisor of the same programme may not read it at all.
		const advisor = actorOf(gers.id, 'advisor');
		await expectDomainError(
			listOutbox({ actor: advisor, limit: 50, offset: 0 }, { db: ctx.db }),
			'mail.forbidden'
		);
		await expectDomainError(
			getOutboxMessage({ actor: advisor, messageId: gersMessage.id }, { db: ctx.db }),
			'mail.forbidden'
		);
		await expectDomainError(
			retryMail({ actor: advisor, messageId: gersMessage.id }, { db: ctx.db, config: WITH_SMTP }),
			'mail.forbidden'
		);
	});

	test('a held message can be queued once SMTP is configured, not before', async () => {
		const programme = await makeProgramme(ctx.db, 'gers');
		const admin = actorOf(programme.id, 'admin');
		const { message } = await queueMail(
			{ programmeId: programme.id, kind: 'account.invite', to: 'a@example.org', subject: 'Hi', text: 'x' },
			{ db: ctx.db, config: NO_SMTP }
		);
		await expectDomainError(
			retryMail({ actor: admin, messageId: message.id }, { db: ctx.db, config: NO_SMTP }),
			'mail.not_retryable'
		);
		const { message: queued } = await retryMail(
			{ actor: admin, messageId: message.id },
			{ db: ctx.db, config: WITH_SMTP }
		);
		expect(queued.status).toBe('queued');
	});
});
