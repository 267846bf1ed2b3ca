import { createServer, type AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterEach, expect, test } from 'vitest';
import type { Db } from '../db/index.ts';
import { describeEachDb } from '../db/db.test-utils.ts';
import { mailMessagesTable } from '../db/schema/index.ts';

import { MAIL_MAX_ATTEMPTS } from '../domain/mail/mail.rules.ts';
import { deliverDueMail, queueMail } from '../domain/mail/mail.service.ts';
import { renderMailLayout } from './mail.layout.ts';
import { startTestSmtpServer, type TestSmtpServer } from './mail.test-utils.ts';
import { createMailTransport } from './mail.transport.ts';
import { startMailWorker } from './mail.worker.ts';
import { createTestProgramme } from '../testing/factories.ts';

const MAIL_FROM = 'soho test <no-reply@soho.test>';
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function smtpServer(options?: Parameters<typeof startTestSmtpServer>[0]): Promise<TestSmtpServer> {
	const smtp = await startTestSmtpServer(options);
	cleanups.push(() => smtp.close());
	return smtp;
}

function transportFor(url: string) {
	const transport = createMailTransport({ smtpUrl: url, mailFrom: MAIL_FROM })!;
	cleanups.push(() => transport.close());
	return transport;
}

async function queueFor(db: Db, smtpUrl: string, recipients: string[]) {
	const programme = await createTestProgramme(db);
	const ids: string[] = [];
	for (const to of recipients) {
		const body = renderMailLayout({
			locale: 'fr',
			title: 'Bienvenue',
			paragraphs: ['Bonjour <vous>'],
			action: { label: 'Ouvrir', url: 'https://soho.test/welcome?x=1&y=2' }
		});
		const { message } = await queueMail(
			{ programmeId: programme.id, kind: 'account.invite', to, subject: 'Bienvenue à Gers', ...body },
			{ db, config: { smtpUrl } }
		);
		ids.push(message.id);
	}
	return ids;
}

/** A port that refuses connections: opened, then closed again. */
async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

describeEachDb('mail delivery over SMTP', (ctx) => {
	test('each recipient receives their own message from a real SMTP server', async () => {
		const smtp = await smtpServer();
		const recipients = ['alice@example.org', 'bob@example.org', 'chloe@example.org'];
		await queueFor(ctx.db, smtp.url, recipients);

		const result = await deliverDueMail({}, { db: ctx.db, transport: transportFor(smtp.url) });
		expect(result).toEqual({ sent: 3, failed: 0, retried: 0 });
		const received = await smtp.waitFor(3);
		expect(received).toHaveLength(3);
		expect(received.map((m) => m.to)).toEqual(recipients.map((r) => [r]));
		for (const message of received) {
			expect(message.subject).toBe('Bienvenue à Gers');
			expect(message.from).toContain('no-reply@soho.test');
			expect(message.text).toContain('Bonjour <vous>');
			expect(message.text).toContain('https://soho.test/welcome?x=1&y=2');
			expect(message.html).toContain('Bonjour &lt;vous&gt;');
			expect(message.headers['x-soho-kind']).toBe('account.invite');
		}
		const rows = await ctx.db.select().from(mailMessagesTable);
		expect(rows.every((row) => row.status === 'sent' && row.sentAt !== null)).toBe(true);
	});

	test('a server that rejects the recipient: retries are scheduled with the error, then the message fails', async () => {
		const smtp = await smtpServer({ rejectRecipient: (address) => address.startsWith('bounce') });
		const [bounceId, okId] = await queueFor(ctx.db, smtp.url, ['bounce@example.org', 'ok@example.org']);
		const transport = transportFor(smtp.url);

		let now = new Date(Date.now() + 1000);
		expect(await deliverDueMail({}, { db: ctx.db, transport, now })).toEqual({
			sent: 1,
			failed: 0,
			retried: 1
		});
		const [bounce] = await ctx.db.select().from(mailMessagesTable).where(eq(mailMessagesTable.id, bounceId));
		expect(bounce).toMatchObject({ status: 'queued', attempts: 1 });
		expect(bounce.lastError).toMatch(/550/);
		expect(bounce.nextAttemptAt.getTime()).toBe(now.getTime() + 60_000);

		for (let attempt = 2; attempt <= MAIL_MAX_ATTEMPTS; attempt++) {
			const [row] = await ctx.db.select().from(mailMessagesTable).where(eq(mailMessagesTable.id, bounceId));
			now = row.nextAttemptAt;
			await deliverDueMail({}, { db: ctx.db, transport, now });
		}
		const [failed] = await ctx.db.select().from(mailMessagesTable).where(eq(mailMessagesTable.id, bounceId));
		expect(failed).toMatchObject({ status: 'failed', attempts: MAIL_MAX_ATTEMPTS });
		expect(failed.lastError).toMatch(/550/);
		const [ok] = await ctx.db.select().from(mailMessagesTable).where(eq(mailMessagesTable.id, okId));
		expect(ok.status).toBe('sent');
		expect(smtp.messages.map((m) => m.to)).toEqual([['ok@example.org']]);
	});

	test('an unreachable server leaves the message queued with the connection error', async () => {
		const url = `smtp://127.0.0.1:${await closedPort()}`;
		const [id] = await queueFor(ctx.db, url, ['alice@example.org']);
		expect(await deliverDueMail({}, { db: ctx.db, transport: transportFor(url) })).toEqual({
			sent: 0,
			failed: 0,
			retried: 1
		});
		const [row] = await ctx.db.select().from(mailMessagesTable).where(eq(mailMessagesTable.id, id));
		expect(row).toMatchObject({ status: 'queued', attempts: 1 });
		expect(row.lastError).toMatch(/ECONNREFUSED/);
	});

	test('the worker sends at start and on kick(), and does nothing without SMTP', async () => {
		const smtp = await smtpServer();
		const config = { smtpUrl: smtp.url, mailFrom: MAIL_FROM, mailIntervalSeconds: 3600 };
		await queueFor(ctx.db, smtp.url, ['alice@example.org']);
		const worker = startMailWorker({ db: ctx.db, config });
		cleanups.push(() => worker.stop());
		expect(worker.isActive).toBe(true);
		await worker.kick();
		await smtp.waitFor(1);

		const programme = await createTestProgramme(ctx.db, { slug: 'lot', name: 'Lot', departements: ['46'] });
		await queueMail(
			{
				programmeId: programme.id,
				kind: 'account.invite',
				to: 'bob@example.org',
				subject: 'Second',
				text: 'x'
			},
			{ db: ctx.db, config }
		);
		await worker.kick();
		const received = await smtp.waitFor(2);
		expect(received.map((m) => m.subject)).toEqual(['Bienvenue à Gers', 'Second']);

		const idle = startMailWorker({ db: ctx.db, config: { ...config, smtpUrl: undefined } });
		expect(idle.isActive).toBe(false);
		await idle.kick();
		await idle.stop();
	});
});
