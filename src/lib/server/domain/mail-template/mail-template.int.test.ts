import { afterEach, expect, test } from 'vitest';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { startTestSmtpServer } from '../../mail/mail.test-utils.ts';
import { createMailTransport } from '../../mail/mail.transport.ts';
import { deliverDueMail } from '../mail/mail.service.ts';
import { createMailTemplate, sendCaseMail } from './mail-template.service.ts';
import { setupCaseMailFixture } from './mail-template.test-utils.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describeEachDb('mail from a case over SMTP', (ctx) => {
	test('a real SMTP server receives one message per recipient, each addressed to that person only', async () => {
		const smtp = await startTestSmtpServer();
		cleanups.push(() => smtp.close());
		const transport = createMailTransport({ smtpUrl: smtp.url, mailFrom: 'Gers <no-reply@soho.test>' })!;
		cleanups.push(() => transport.close());
		const s = await setupCaseMailFixture(ctx.db);
		const { template } = await createMailTemplate(
			{
				actor: s.actors.advisor,
				input: {
					name: 'Invitation',
					locale: 'fr',
					subject: 'Visite découverte, {{firstName}}',
					body: 'Bonjour {{firstName}},\n\nNous vous attendons à **{{villages}}**.'
				}
			},
			{ db: ctx.db }
		);
		await sendCaseMail(
			{
				actor: s.actors.advisor,
				caseId: s.kase.id,
				input: {
					mode: 'template',
					templateId: template.id,
					personIds: [s.persons.helene.id, s.persons.marc.id]
				}
			},
			{ db: ctx.db, config: { smtpUrl: smtp.url } }
		);
		expect(await deliverDueMail({}, { db: ctx.db, transport })).toEqual({ sent: 2, failed: 0, retried: 0 });
		const received = await smtp.waitFor(2);
		const byRecipient = Object.fromEntries(received.map((mail) => [mail.to.join(','), mail]));
		expect(Object.keys(byRecipient).sort()).toEqual(['helene@example.org', 'marc@example.org']);
		expect(byRecipient['helene@example.org'].subject).toBe('Visite découverte, Hélène');
		expect(byRecipient['marc@example.org'].subject).toBe('Visite découverte, Marc');
		expect(byRecipient['marc@example.org'].html).toContain('<strong>Simorre</strong>');
		expect(byRecipient['marc@example.org'].text).not.toContain('Hélène');
	});
});
