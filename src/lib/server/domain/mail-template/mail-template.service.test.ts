import { eq } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { caseActivitiesTable, mailMessagesTable, mailTemplatesTable } from '../../db/schema/index.ts';

import { ValidationError } from '../../validation.ts';
import { deliverDueMail, type MailTransport } from '../mail/mail.service.ts';
import {
	createMailTemplate,
	deleteMailTemplate,
	getCaseMailOptions,
	getMailTemplate,
	listCaseMails,
	listMailTemplates,
	previewCaseMail,
	retryCaseMail,
	sendCaseMail,
	updateMailTemplate
} from './mail-template.service.ts';
import { setupCaseMailFixture } from './mail-template.test-utils.ts';
import { expectDomainError } from '../../testing/expectations.ts';

const NO_SMTP = { smtpUrl: undefined };
const WITH_SMTP = { smtpUrl: 'smtp://127.0.0.1:2525' };

const welcome = {
	name: 'Bienvenue',
	locale: 'fr' as const,
	subject: 'Bienvenue {{firstName}} — dossier {{reference}}',
	body: 'Bonjour {{ firstName }} {{lastName}},\n\nVotre conseiller **{{advisor}}** vous accompagne vers {{villages}} ({{stage}}).\n\n— {{programme}}'
};

describeEachDb('mail templates and mail from a case', (ctx) => {
	test('staff create, edit, list and delete templates', async () => {
		const s = await setupCaseMailFixture(ctx.db);
		const { template } = await createMailTemplate(
			{ actor: s.actors.advisor, input: welcome },
			{ db: ctx.db }
		);
		expect(template).toMatchObject({
			...welcome,
			programmeId: s.programme.id,
			updatedBy: s.actors.advisor.userId
		});
		const { template: edited } = await updateMailTemplate(
			{ actor: s.actors.admin, templateId: template.id, input: { ...welcome, name: 'Bienvenue (qualifié)' } },
			{ db: ctx.db }
		);
		expect(edited).toMatchObject({ name: 'Bienvenue (qualifié)', updatedBy: s.actors.admin.userId });
		const { templates } = await listMailTemplates({ actor: s.actors.advisor }, { db: ctx.db });
		expect(templates.map((t) => t.name)).toEqual(['Bienvenue (qualifié)']);
		await deleteMailTemplate({ actor: s.actors.advisor, templateId: template.id }, { db: ctx.db });
		expect(await ctx.db.select().from(mailTemplatesTable)).toHaveLength(0);
	});

	test('a template with unknown variables is refused, naming them, and nothing is written', async () => {
		const s = await setupCaseMailFixture(ctx.db);
		const error = await expectDomainError(
			createMailTemplate(
				{
					actor: s.actors.advisor,
					input: { ...welcome, body: 'Bonjour {{prenom}} de {{ville}} et {{prenom}}' }
				},
				{ db: ctx.db }
			),
			'mail_template.unknown_variables'
		);
		expect(error.details).toEqual({ field: 'body', variables: '{{prenom}}, {{ville}}' });
		await expectDomainError(
			createMailTemplate(
				{ actor: s.actors.advisor, input: { ...welcome, subject: 'Hi {{name}}' } },
				{ db: ctx.db }
			),
			'mail_template.unknown_variables'
		);
		expect(await ctx.db.select().from(mailTemplatesTable)).toHaveLength(0);
		const invalid = await createMailTemplate(
			{ actor: s.actors.advisor, input: { name: '', locale: 'de' as never, subject: 'a\nb', body: '' } },
			{ db: ctx.db }
		).catch((e: unknown) => e);
		expect((invalid as ValidationError).issues.map((issue) => issue.field).sort()).toEqual([
			'body',
			'locale',
			'name',
			'subject'
		]);
	});

	test('committee, partner, member and candidate cannot manage templates or send; other programmes do not find them', async () => {
		const s = await setupCaseMailFixture(ctx.db);
		const { template } = await createMailTemplate(
			{ actor: s.actors.advisor, input: welcome },
			{ db: ctx.db }
		);
		for (const actor of [s.actors.committee, s.actors.partner, s.actors.member, s.actors.candidate]) {
			await expectDomainError(listMailTemplates({ actor }, { db: ctx.db }), 'mail_template.forbidden');
			await expectDomainError(
				createMailTemplate({ actor, input: welcome }, { db: ctx.db }),
				'mail_template.forbidden'
			);
			await expectDomainError(
				sendCaseMail(
					{
						actor,
						caseId: s.kase.id,
						input: { mode: 'template', templateId: template.id, personIds: [s.persons.helene.id] }
					},
					{ db: ctx.db, config: NO_SMTP }
				),
				'mail_template.forbidden'
			);
		}
		await expectDomainError(
			getMailTemplate({ actor: s.actors.otherAdvisor, templateId: template.id }, { db: ctx.db }),
			'mail_template.not_found'
		);
		await expectDomainError(
			updateMailTemplate(
				{ actor: s.actors.otherAdvisor, templateId: template.id, input: welcome },
				{ db: ctx.db }
			),
			'mail_template.not_found'
		);
		await expectDomainError(
			sendCaseMail(
				{
					actor: s.actors.otherAdvisor,
					caseId: s.kase.id,
					input: { mode: 'template', templateId: template.id, personIds: [s.persons.helene.id] }
				},
				{ db: ctx.db, config: NO_SMTP }
			),
			'case.not_found'
		);
		expect(await ctx.db.select().from(mailMessagesTable)).toHaveLength(0);
	});

	test('a template of another programme cannot be sent from a case', async () => {
		const s = await setupCaseMailFixture(ctx.db);
		const { template } = await createMailTemplate(
			{ actor: s.actors.otherAdvisor, input: welcome },
			{ db: ctx.db }
		);
		await expectDomainError(
			sendCaseMail(
				{
					actor: s.actors.advisor,
					caseId: s.kase.id,
					input: { mode: 'template', templateId: template.id, personIds: [s.persons.helene.id] }
				},
				{ db: ctx.db, config: NO_SMTP }
			),
			'mail_template.not_found'
		);
	});

	test('sending to two recipients queues two personalised messages, each to one address, and one timeline entry', async () => {
		const s = await setupCaseMailFixture(ctx.db);
		const { template } = await createMailTemplate(
			{ actor: s.actors.advisor, input: welcome },
			{ db: ctx.db }
		);
		const { messages } = await sendCaseMail(
			{
				actor: s.actors.advisor,
				caseId: s.kase.id,
				input: {
					mode: 'template',
					templateId: template.id,
					personIds: [s.persons.helene.id, s.persons.marc.id]
				}
			},
			{ db: ctx.db, config: NO_SMTP }
		);
		expect(messages).toHaveLength(2);
		const rows = await ctx.db.select().from(mailMessagesTable).orderBy(mailMessagesTable.toAddress);
		expect(rows.map((row) => row.toAddress)).toEqual(['helene@example.org', 'marc@example.org']);
		for (const row of rows) {
			expect(row).toMatchObject({ caseId: s.kase.id, kind: 'case.message', status: 'held' });
			expect(row.toAddress).not.toContain(',');
		}
		expect(rows[0].subject).toBe('Bienvenue Hélène — dossier GERS-2026-0007');
		expect(rows[0].textBody).toContain('Bonjour Hélène Garnier,');
		expect(rows[0].textBody).toContain('advisor advisor@gers.example');
		expect(rows[0].textBody).toContain('Simorre (Qualifié)');
		expect(rows[0].textBody).not.toContain('Marc');
		expect(rows[1].subject).toBe('Bienvenue Marc — dossier GERS-2026-0007');
		// A value is shown as typed: its underscore does not turn into Markdown emphasis.
		expect(rows[1].htmlBody).toContain('Bonjour Marc O_Brien,');
		expect(rows[1].htmlBody).toContain('<strong>advisor advisor@gers.example</strong>');
		const activities = await ctx.db.select().from(caseActivitiesTable);
		expect(activities).toHaveLength(1);
		expect(activities[0]).toMatchObject({
			kind: 'email',
			visibility: 'staff',
			authorId: s.actors.advisor.userId,
			data: {
				mailIds: messages.map((message) => message.id),
				templateId: template.id,
				recipients: [s.persons.helene.id, s.persons.marc.id]
			}
		});
		const { messages: listed } = await listCaseMails(
			{ actor: s.actors.advisor, caseId: s.kase.id },
			{ db: ctx.db }
		);
		expect(listed).toHaveLength(2);
	});

	test('a free message in English uses the same variables', async () => {
		const s = await setupCaseMailFixture(ctx.db);
		await sendCaseMail(
			{
				actor: s.actors.advisor,
				caseId: s.kase.id,
				input: {
					mode: 'free',
					locale: 'en',
					subject: 'Your visit, {{firstName}}',
					body: 'Hello {{firstName}}, see you soon in {{villages}}.',
					personIds: s.persons.marc.id as never
				}
			},
			{ db: ctx.db, config: NO_SMTP }
		);
		const [row] = await ctx.db.select().from(mailMessagesTable);
		expect(row.subject).toBe('Your visit, Marc');
		expect(row.htmlBody).toContain('<html lang="en">');
		const [activity] = await ctx.db.select().from(caseActivitiesTable);
		expect(activity.data).toMatchObject({ templateId: null, locale: 'en' });
	});

	test('recipients without email or outside the household are refused and nothing is sent', async () => {
		const s = await setupCaseMailFixture(ctx.db);
		const { template } = await createMailTemplate(
			{ actor: s.actors.advisor, input: welcome },
			{ db: ctx.db }
		);
		for (const personIds of [[s.persons.helene.id, s.persons.zoe.id], ['per_elsewhere123']]) {
			const error = await sendCaseMail(
				{
					actor: s.actors.advisor,
					caseId: s.kase.id,
					input: { mode: 'template', templateId: template.id, personIds }
				},
				{ db: ctx.db, config: NO_SMTP }
			).catch((e: unknown) => e);
			expect((error as ValidationError).issues).toEqual([
				{ field: 'personIds', code: 'mail_template.invalid_recipient' }
			]);
		}
		const none = await sendCaseMail(
			{ actor: s.actors.advisor, caseId: s.kase.id, input: { mode: 'template', templateId: template.id } },
			{ db: ctx.db, config: NO_SMTP }
		).catch((e: unknown) => e);
		expect((none as ValidationError).issues).toEqual([
			{ field: 'personIds', code: 'mail_template.recipients_required' }
		]);
		expect(await ctx.db.select().from(mailMessagesTable)).toHaveLength(0);
		expect(await ctx.db.select().from(caseActivitiesTable)).toHaveLength(0);
	});

	test('the preview shows the first recipient’s message and writes nothing; options list who has an email', async () => {
		const s = await setupCaseMailFixture(ctx.db);
		const { template } = await createMailTemplate(
			{ actor: s.actors.advisor, input: welcome },
			{ db: ctx.db }
		);
		const preview = await previewCaseMail(
			{
				actor: s.actors.advisor,
				caseId: s.kase.id,
				input: {
					mode: 'template',
					templateId: template.id,
					personIds: [s.persons.marc.id, s.persons.helene.id]
				}
			},
			{ db: ctx.db }
		);
		expect(preview).toMatchObject({
			to: 'marc@example.org',
			subject: 'Bienvenue Marc — dossier GERS-2026-0007',
			count: 2
		});
		expect(await ctx.db.select().from(mailMessagesTable)).toHaveLength(0);
		const options = await getCaseMailOptions({ actor: s.actors.advisor, caseId: s.kase.id }, { db: ctx.db });
		expect(options.recipients.map((r) => r.firstName)).toEqual(['Hélène', 'Marc']);
		expect(options.templates.map((t) => t.id)).toEqual([template.id]);
	});

	test('a failed message of the case is retried: queued again, due now, with fresh attempts', async () => {
		const s = await setupCaseMailFixture(ctx.db);
		const { messages } = await sendCaseMail(
			{
				actor: s.actors.advisor,
				caseId: s.kase.id,
				input: {
					mode: 'free',
					subject: 'Bonjour',
					body: 'Bonjour {{firstName}}',
					personIds: [s.persons.helene.id]
				}
			},
			{ db: ctx.db, config: WITH_SMTP }
		);
		const failing: MailTransport = {
			sendMail: async () => {
				throw new Error('550 mailbox unavailable');
			}
		};
		let now = new Date(Date.now() + 1000);
		for (let attempt = 0; attempt < 5; attempt++) {
			await deliverDueMail({}, { db: ctx.db, transport: failing, now });
			now = new Date(now.getTime() + 3 * 3_600_000);
		}
		const [failed] = await ctx.db.select().from(mailMessagesTable);
		expect(failed).toMatchObject({ status: 'failed', attempts: 5, lastError: '550 mailbox unavailable' });
		await expectDomainError(
			retryCaseMail(
				{ actor: s.actors.otherAdvisor, caseId: s.kase.id, messageId: failed.id },
				{ db: ctx.db, config: WITH_SMTP }
			),
			'case.not_found'
		);
		await expectDomainError(
			retryCaseMail(
				{ actor: s.actors.committee, caseId: s.kase.id, messageId: failed.id },
				{ db: ctx.db, config: WITH_SMTP }
			),
			'mail_template.forbidden'
		);
		const { message } = await retryCaseMail(
			{ actor: s.actors.advisor, caseId: s.kase.id, messageId: messages[0].id },
			{ db: ctx.db, config: WITH_SMTP }
		);
		expect(message).toMatchObject({ status: 'queued', attempts: 0, lastError: null });
		expect(message.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());
		await expectDomainError(
			retryCaseMail(
				{ actor: s.actors.advisor, caseId: s.kase.id, messageId: messages[0].id },
				{ db: ctx.db, config: WITH_SMTP }
			),
			'mail.not_retryable'
		);
		const sent: string[] = [];
		await deliverDueMail(
			{},
			{ db: ctx.db, transport: { sendMail: async (mail) => void sent.push(mail.to) } }
		);
		expect(sent).toEqual(['helene@example.org']);
		const [row] = await ctx.db.select().from(mailMessagesTable).where(eq(mailMessagesTable.id, message.id));
		expect(row.status).toBe('sent');
	});
});
