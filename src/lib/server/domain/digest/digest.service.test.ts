import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { parseConfig } from '../../config.ts';
import { describeEachDb } from '../../db/db.test-utils.ts';
import type { Db } from '../../db/index.ts';
import { mailMessagesTable, tasksTable, type Role } from '../../db/schema/index.ts';
import { createMailTransport } from '../../mail/mail.transport.ts';
import { startTestSmtpServer, type TestSmtpServer } from '../../mail/mail.test-utils.ts';
import { runDueJobs } from '../../jobs/scheduler.ts';
import { SCHEDULED_JOBS } from '../../jobs/registry.ts';
import { deliverDueMail } from '../mail/mail.service.ts';
import { createProgramme } from '../programme/programme.service.ts';
import { resumeProgramme, suspendProgramme } from '../programme/programme-instance.service.ts';
import { sendTaskDigests } from './digest.service.ts';
import { createTestCase, insertTestUsers } from '../../testing/factories.ts';
import { toActor } from '../account/account.service.ts';

let smtp: TestSmtpServer;
beforeAll(async () => {
	smtp = await startTestSmtpServer();
});
afterAll(() => smtp.close());

// 26 November 2026, 08:00 local time: the digest covers that day.
const NOW = new Date(2026, 10, 26, 8, 0);
const TODAY = '2026-11-26';

async function programme(db: Db, slug: string) {
	const { programme } = await createProgramme(
		{ input: { slug, name: `Programme ${slug}`, departements: ['32'] } },
		{ db }
	);
	return programme;
}

async function user(db: Db, programmeId: string, role: Role, email: string, locale: 'fr' | 'en' = 'fr') {
	const [row] = await insertTestUsers(db, {
		programmeId,
		role,
		email,
		name: email.split('@')[0],
		locale,
		emailVerified: true
	});
	return row;
}

async function task(
	db: Db,
	programmeId: string,
	assigneeId: string,
	title: string,
	dueOn: string | null,
	extra: { caseId?: string; doneAt?: Date } = {}
) {
	await db.insert(tasksTable).values({ programmeId, assigneeId, title, dueOn, ...extra });
}

describeEachDb('daily task digest', (ctx) => {
	test('each advisor with tasks due today or overdue receives one email listing them, in their language', async () => {
		const db = ctx.db;
		const gers = await programme(db, 'gers');
		const claire = await user(db, gers.id, 'advisor', 'claire@gers.example');
		const tom = await user(db, gers.id, 'admin', 'tom@gers.example', 'en');
		const idle = await user(db, gers.id, 'advisor', 'idle@gers.example');
		const { case: kase } = await createTestCase(db, { actor: toActor(claire) });
		await task(db, gers.id, claire.id, 'Rappeler les Garnier', '2026-11-24', { caseId: kase.id });
		await task(db, gers.id, claire.id, 'Préparer la visite à Lectoure', TODAY);
		await task(db, gers.id, claire.id, 'Plus tard', '2026-11-30');
		await task(db, gers.id, claire.id, 'Sans date', null);
		await task(db, gers.id, claire.id, 'Déjà faite', '2026-11-20', { doneAt: new Date(2026, 10, 21) });
		await task(db, gers.id, tom.id, 'Send the board report', TODAY);
		await task(db, gers.id, idle.id, 'Next week', '2026-12-03');

		const config = parseConfig({ NODE_ENV: 'test', SMTP_URL: smtp.url });
		const result = await sendTaskDigests({ now: NOW }, { db, config });
		expect(result).toEqual({ sent: 2, alreadySent: 0, day: TODAY });

		const transport = createMailTransport(config)!;
		try {
			// Queued with the real clock: delivered now, whatever day the test pretends it is.
			expect(await deliverDueMail({}, { db, transport })).toMatchObject({ sent: 2, failed: 0 });
		} finally {
			transport.close();
		}
		const received = await smtp.waitFor(2);
		const toClaire = received.find((mail) => mail.to.includes('claire@gers.example'))!;
		const toTom = received.find((mail) => mail.to.includes('tom@gers.example'))!;
		// One recipient per message, never a shared list.
		expect(toClaire.to).toEqual(['claire@gers.example']);
		expect(toClaire.subject).toContain('2 tâches');
		expect(toClaire.text).toContain('Rappeler les Garnier');
		expect(toClaire.text).toContain(`dossier ${kase.reference}`);
		expect(toClaire.text).toContain('Préparer la visite à Lectoure');
		expect(toClaire.text).not.toContain('Plus tard');
		expect(toClaire.text).not.toContain('Sans date');
		expect(toClaire.text).not.toContain('Déjà faite');
		expect(toClaire.text).toContain('/backoffice/my-day');
		expect(toTom.subject).toContain('1 task');
		expect(toTom.text).toContain('Send the board report');
		expect(received.some((mail) => mail.to.includes('idle@gers.example'))).toBe(false);
		smtp.messages.length = 0;
	});

	test('a second run the same day sends nothing more; the next day sends again', async () => {
		const db = ctx.db;
		const gers = await programme(db, 'gers');
		const claire = await user(db, gers.id, 'advisor', 'claire@gers.example');
		await task(db, gers.id, claire.id, 'Rappeler', TODAY);
		const config = parseConfig({ NODE_ENV: 'test' });
		expect((await sendTaskDigests({ now: NOW }, { db, config })).sent).toBe(1);
		expect(await sendTaskDigests({ now: NOW }, { db, config })).toEqual({
			sent: 0,
			alreadySent: 1,
			day: TODAY
		});
		const tomorrow = new Date(2026, 10, 27, 8, 0);
		expect((await sendTaskDigests({ now: tomorrow }, { db, config })).sent).toBe(1);
		const mails = await db
			.select()
			.from(mailMessagesTable)
			.where(eq(mailMessagesTable.kind, 'task.daily_digest'));
		expect(mails).toHaveLength(2);
	});

	test("a suspended programme's staff get no digest; once it is resumed they do", async () => {
		const db = ctx.db;
		const gers = await programme(db, 'gers');
		const lot = await programme(db, 'lot');
		const claire = await user(db, gers.id, 'advisor', 'claire@gers.example');
		const paul = await user(db, lot.id, 'advisor', 'paul@lot.example');
		await task(db, gers.id, claire.id, 'Rappeler', TODAY);
		await task(db, lot.id, paul.id, 'Relancer', TODAY);
		const config = parseConfig({ NODE_ENV: 'test' });
		await suspendProgramme(
			{ by: 'operator', input: { programme: 'gers', reason: 'Convention échue' } },
			{ db }
		);
		expect(await sendTaskDigests({ now: NOW }, { db, config })).toEqual({
			sent: 1,
			alreadySent: 0,
			day: TODAY
		});
		const recipients = async () =>
			(await db.select().from(mailMessagesTable).where(eq(mailMessagesTable.kind, 'task.daily_digest')))
				.map((mail) => mail.toAddress)
				.sort();
		expect(await recipients()).toEqual(['paul@lot.example']);
		await resumeProgramme({ by: 'operator', input: { programme: 'gers' } }, { db });
		expect(await sendTaskDigests({ now: NOW }, { db, config })).toEqual({
			sent: 1,
			alreadySent: 1,
			day: TODAY
		});
		expect(await recipients()).toEqual(['claire@gers.example', 'paul@lot.example']);
	});

	test('tasks of committee members, partners or another programme never reach a digest', async () => {
		const db = ctx.db;
		const gers = await programme(db, 'gers');
		const other = await programme(db, 'other');
		const committee = await user(db, gers.id, 'committee', 'maire@village.example');
		const advisor = await user(db, other.id, 'advisor', 'advisor@other.example');
		await task(db, gers.id, committee.id, 'Recevoir une famille', TODAY);
		await task(db, other.id, advisor.id, 'Their own task', TODAY);
		const config = parseConfig({ NODE_ENV: 'test' });
		expect((await sendTaskDigests({ now: NOW, programmeId: gers.id }, { db, config })).sent).toBe(0);
		const all = await sendTaskDigests({ now: NOW }, { db, config });
		expect(all.sent).toBe(1);
		const [mail] = await db.select().from(mailMessagesTable);
		expect(mail.toAddress).toBe('advisor@other.example');
		expect(mail.programmeId).toBe(other.id);
	});

	test('the scheduler runs the digest once a day from 07:30', async () => {
		const db = ctx.db;
		const gers = await programme(db, 'gers');
		const claire = await user(db, gers.id, 'advisor', 'claire@gers.example');
		await task(db, gers.id, claire.id, 'Rappeler', TODAY);
		const config = parseConfig({ NODE_ENV: 'test' });
		const early = await runDueJobs(
			{ now: new Date(2026, 10, 26, 7, 0), only: ['task.daily_digest'] },
			{ db, config, jobs: SCHEDULED_JOBS }
		);
		expect(early).toEqual([{ job: 'task.daily_digest', period: '', status: 'not_due' }]);
		const run = await runDueJobs(
			{ now: NOW, only: ['task.daily_digest'] },
			{ db, config, jobs: SCHEDULED_JOBS }
		);
		expect(run).toEqual([{ job: 'task.daily_digest', period: TODAY, status: 'done' }]);
		expect(await db.select().from(mailMessagesTable)).toHaveLength(1);
	});
});
