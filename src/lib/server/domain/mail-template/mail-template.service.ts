import * as v from 'valibot';
import type { Actor } from '../../auth/actor.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/index.ts';
import type { Case, MailMessage, MailTemplate, Person } from '../../db/schema/index.ts';
import { translate, type Locale } from '../../../i18n/index.ts';
import { createLogger } from '../../logger.ts';
import { parseInput, ValidationError } from '../../validation.ts';
import { caseNotFound } from '../case/case.errors.ts';
import { findCaseById, findCasePersons, insertActivity } from '../case/case.repository.ts';
import { caseIdSchema } from '../case/case.schemas.ts';
import { mailNotFound, mailNotRetryable } from '../mail/mail.errors.ts';
import { updateMailMessageStatus } from '../mail/mail.repository.ts';
import { retriedStatus } from '../mail/mail.rules.ts';
import { mailMessageIdSchema } from '../mail/mail.schemas.ts';
import { isSmtpConfigured, queueMail } from '../mail/mail.service.ts';
import {
	mailTemplateForbidden,
	mailTemplateNotFound,
	mailTemplateUnknownVariables
} from './mail-template.errors.ts';
import { renderTemplateMail } from './mail-template.mails.ts';
import {
	deleteMailTemplate as deleteMailTemplateRow,
	findCaseMailById,
	findCaseMails,
	findCaseVillageNames,
	findMailTemplateById,
	findMailTemplates,
	findProgrammeName,
	findUserName,
	insertMailTemplate,
	updateMailTemplate as updateMailTemplateRow,
	type CaseMailEntry,
	type MailTemplateListItem
} from './mail-template.repository.ts';
import { findUnknownVariables, type MailTemplateValues } from './mail-template.rules.ts';
import {
	mailTemplateIdSchema,
	saveMailTemplateSchema,
	sendCaseMailSchema,
	type SaveMailTemplateInput,
	type SendCaseMailInput
} from './mail-template.schemas.ts';

const log = createLogger({ namespace: 'mail-template:service' });

type Deps = { db: Db; now?: Date };

export type { CaseMailEntry, MailTemplateListItem };

/** Templates and mail from a case are the staff's (admins and advisors). */
function assertStaff(actor: Actor): void {
	if (actor.role !== 'admin' && actor.role !== 'advisor')
		throw mailTemplateForbidden({ userId: actor.userId });
}

/** Refuses a subject or body using variables that do not exist, naming them. */
function assertKnownVariables({ subject, body }: { subject: string; body: string }): void {
	for (const [field, text] of [
		['subject', subject],
		['body', body]
	] as const) {
		const unknown = findUnknownVariables(text);
		if (unknown.length) throw mailTemplateUnknownVariables({ field, variables: unknown.join(', ') });
	}
}

async function loadTemplate(
	{ actor, templateId }: { actor: Actor; templateId: string },
	{ db }: { db: Db }
): Promise<MailTemplate> {
	if (!v.is(mailTemplateIdSchema, templateId)) throw mailTemplateNotFound({ templateId });
	const template = await findMailTemplateById({ db, programmeId: actor.programmeId, templateId });
	if (!template) throw mailTemplateNotFound({ templateId });
	return template;
}

/* ------------------------------------------------------------------ templates */

/** The programme's templates, by name. Staff only. */
export async function listMailTemplates(
	{ actor }: { actor: Actor },
	{ db }: Deps
): Promise<{ templates: MailTemplateListItem[] }> {
	assertStaff(actor);
	return { templates: await findMailTemplates({ db, programmeId: actor.programmeId }) };
}

export async function getMailTemplate(
	{ actor, templateId }: { actor: Actor; templateId: string },
	{ db }: Deps
): Promise<{ template: MailTemplate }> {
	assertStaff(actor);
	return { template: await loadTemplate({ actor, templateId }, { db }) };
}

/** A new template; unknown `{{variables}}` are refused with mail_template.unknown_variables. */
export async function createMailTemplate(
	{ actor, input }: { actor: Actor; input: SaveMailTemplateInput },
	{ db, now = new Date() }: Deps
): Promise<{ template: MailTemplate }> {
	assertStaff(actor);
	const data = parseInput(saveMailTemplateSchema, input);
	assertKnownVariables(data);
	const template = await insertMailTemplate({
		db,
		values: {
			programmeId: actor.programmeId,
			...data,
			updatedBy: actor.userId,
			createdAt: now,
			updatedAt: now
		}
	});
	log.info({ templateId: template.id, userId: actor.userId }, 'Mail template created');
	return { template };
}

export async function updateMailTemplate(
	{ actor, templateId, input }: { actor: Actor; templateId: string; input: SaveMailTemplateInput },
	{ db, now = new Date() }: Deps
): Promise<{ template: MailTemplate }> {
	assertStaff(actor);
	const data = parseInput(saveMailTemplateSchema, input);
	assertKnownVariables(data);
	return db.transaction(async (tx) => {
		const current = await loadTemplate({ actor, templateId }, { db: tx });
		const template = await updateMailTemplateRow({
			db: tx,
			programmeId: actor.programmeId,
			templateId: current.id,
			values: { ...data, updatedBy: actor.userId, updatedAt: now }
		});
		if (!template) throw mailTemplateNotFound({ templateId });
		return { template };
	});
}

export async function deleteMailTemplate(
	{ actor, templateId }: { actor: Actor; templateId: string },
	{ db }: Deps
): Promise<{ isDeleted: true }> {
	assertStaff(actor);
	const template = await loadTemplate({ actor, templateId }, { db });
	await deleteMailTemplateRow({ db, programmeId: actor.programmeId, templateId: template.id });
	log.info({ templateId: template.id, userId: actor.userId }, 'Mail template deleted');
	return { isDeleted: true };
}

/* ------------------------------------------------------------------ mail from a case */

async function loadCase(
	{ actor, caseId }: { actor: Actor; caseId: string },
	{ db }: { db: Db }
): Promise<Case> {
	if (!v.is(caseIdSchema, caseId)) throw caseNotFound({ caseId });
	const kase = await findCaseById({ db, programmeId: actor.programmeId, caseId });
	if (!kase) throw caseNotFound({ caseId });
	return kase;
}

export type CaseMailRecipient = Pick<Person, 'id' | 'householdRole' | 'firstName' | 'lastName'> & {
	email: string;
};

/** The household members who have an email address: who a message may go to. */
function recipientsOf(persons: Person[]): CaseMailRecipient[] {
	return persons.flatMap((person) =>
		person.email
			? [
					{
						id: person.id,
						householdRole: person.householdRole,
						firstName: person.firstName,
						lastName: person.lastName,
						email: person.email
					}
				]
			: []
	);
}

/** The values of the variables for one recipient (see MAIL_TEMPLATE_VARIABLES). */
async function caseMailValues(
	{ kase, locale }: { kase: Case; locale: Locale },
	{ db }: { db: Db }
): Promise<(person: Pick<Person, 'firstName' | 'lastName'>) => MailTemplateValues> {
	const programme = await findProgrammeName({ db, programmeId: kase.programmeId });
	const advisor = kase.advisorId
		? ((await findUserName({ db, programmeId: kase.programmeId, userId: kase.advisorId })) ?? '')
		: '';
	const villages = (await findCaseVillageNames({ db, caseId: kase.id })).join(', ');
	const stageKey = `case_stage_${kase.stage}`;
	const stageLabel = translate(locale, stageKey);
	const stage = stageLabel === stageKey ? kase.stage : stageLabel;
	return (person) => ({
		firstName: person.firstName ?? '',
		lastName: person.lastName ?? '',
		reference: kase.reference,
		programme,
		advisor,
		villages,
		stage
	});
}

export type CaseMailOptions = {
	templates: MailTemplateListItem[];
	recipients: CaseMailRecipient[];
};

/** What the "send a message" page of a case needs. Staff only. */
export async function getCaseMailOptions(
	{ actor, caseId }: { actor: Actor; caseId: string },
	{ db }: Deps
): Promise<CaseMailOptions> {
	assertStaff(actor);
	const kase = await loadCase({ actor, caseId }, { db });
	return {
		templates: await findMailTemplates({ db, programmeId: actor.programmeId }),
		recipients: recipientsOf(await findCasePersons({ db, caseId: kase.id }))
	};
}

type PreparedMail = {
	kase: Case;
	templateId: string | null;
	locale: Locale;
	messages: { person: CaseMailRecipient; subject: string; text: string; html: string }[];
};

/** Validates a send (template or free text, recipients) and renders one message per recipient. */
async function prepareCaseMail(
	{ actor, caseId, input }: { actor: Actor; caseId: string; input: SendCaseMailInput },
	{ db }: { db: Db }
): Promise<PreparedMail> {
	assertStaff(actor);
	const data = parseInput(sendCaseMailSchema, input);
	const kase = await loadCase({ actor, caseId }, { db });
	let content: { subject: string; body: string; locale: Locale; templateId: string | null };
	if (data.mode === 'template') {
		const template = await loadTemplate({ actor, templateId: data.templateId }, { db });
		content = { ...template, templateId: template.id };
	} else {
		content = {
			subject: data.subject,
			body: data.body,
			locale: data.locale ?? actor.locale,
			templateId: null
		};
	}
	assertKnownVariables(content);
	const recipients = recipientsOf(await findCasePersons({ db, caseId: kase.id }));
	const chosen: CaseMailRecipient[] = [];
	for (const personId of new Set(data.personIds)) {
		const person = recipients.find((recipient) => recipient.id === personId);
		// Not in the household, or without an email address.
		if (!person) throw new ValidationError([{ field: 'personIds', code: 'mail_template.invalid_recipient' }]);
		chosen.push(person);
	}
	const valuesFor = await caseMailValues({ kase, locale: content.locale }, { db });
	const senderName = (await findProgrammeName({ db, programmeId: kase.programmeId })) || undefined;
	return {
		kase,
		templateId: content.templateId,
		locale: content.locale,
		messages: chosen.map((person) => ({
			person,
			...renderTemplateMail({
				locale: content.locale,
				subject: content.subject,
				body: content.body,
				values: valuesFor(person),
				senderName: senderName ?? ''
			})
		}))
	};
}

/** The message as the first chosen recipient will receive it; nothing is written. Staff only. */
export async function previewCaseMail(
	{ actor, caseId, input }: { actor: Actor; caseId: string; input: SendCaseMailInput },
	{ db }: Deps
): Promise<{ to: string; subject: string; html: string; text: string; count: number }> {
	const prepared = await prepareCaseMail({ actor, caseId, input }, { db });
	const [first] = prepared.messages;
	return {
		to: first.person.email,
		subject: first.subject,
		html: first.html,
		text: first.text,
		count: prepared.messages.length
	};
}

/**
 * Sends a template (or a free message) from a case: one queued message per recipient,
 * each personalised and addressed to that person only (never a shared To: list), in the
 * template's language, linked to the case; one 'email' timeline entry for the send. All
 * in one transaction. Call `getApp().mailer.kick()` after it to send at once.
 */
export async function sendCaseMail(
	{ actor, caseId, input }: { actor: Actor; caseId: string; input: SendCaseMailInput },
	{ db, config, now = new Date() }: Deps & { config: Pick<Config, 'smtpUrl'> }
): Promise<{ messages: MailMessage[] }> {
	return db.transaction(async (tx) => {
		const prepared = await prepareCaseMail({ actor, caseId, input }, { db: tx });
		const messages: MailMessage[] = [];
		for (const message of prepared.messages) {
			const { message: queued } = await queueMail(
				{
					programmeId: actor.programmeId,
					caseId: prepared.kase.id,
					kind: 'case.message',
					to: message.person.email,
					subject: message.subject,
					text: message.text,
					html: message.html
				},
				{ db: tx, config }
			);
			messages.push(queued);
		}
		await insertActivity({
			db: tx,
			values: {
				programmeId: actor.programmeId,
				caseId: prepared.kase.id,
				kind: 'email',
				occurredAt: now,
				authorId: actor.userId,
				summary: translate(actor.locale, 'mailtpl_activity_sent', {
					subject: prepared.messages[0].subject,
					count: messages.length
				}),
				visibility: 'staff',
				data: {
					mailIds: messages.map((message) => message.id),
					templateId: prepared.templateId,
					locale: prepared.locale,
					recipients: prepared.messages.map((message) => message.person.id)
				}
			}
		});
		log.info(
			{
				caseId: prepared.kase.id,
				userId: actor.userId,
				templateId: prepared.templateId,
				count: messages.length
			},
			'Case mail queued'
		);
		return { messages };
	});
}

/** The messages sent from a case, newest first, with their delivery status. Staff only. */
export async function listCaseMails(
	{ actor, caseId }: { actor: Actor; caseId: string },
	{ db }: Deps
): Promise<{ messages: CaseMailEntry[] }> {
	assertStaff(actor);
	const kase = await loadCase({ actor, caseId }, { db });
	return { messages: await findCaseMails({ db, programmeId: actor.programmeId, caseId: kase.id }) };
}

/**
 * Puts a failed message of the case back in the queue, due now, with fresh attempts (held
 * without SMTP). Staff only; a message of another case or programme answers mail.not_found.
 */
export async function retryCaseMail(
	{ actor, caseId, messageId }: { actor: Actor; caseId: string; messageId: string },
	{ db, config }: Deps & { config: Pick<Config, 'smtpUrl'> }
): Promise<{ message: MailMessage }> {
	assertStaff(actor);
	return db.transaction(async (tx) => {
		const kase = await loadCase({ actor, caseId }, { db: tx });
		if (!v.is(mailMessageIdSchema, messageId)) throw mailNotFound({ messageId });
		const message = await findCaseMailById({
			db: tx,
			programmeId: actor.programmeId,
			caseId: kase.id,
			messageId
		});
		if (!message) throw mailNotFound({ messageId });
		const status =
			message.status === 'failed' ? retriedStatus(message.status, isSmtpConfigured(config)) : null;
		if (!status) throw mailNotRetryable({ messageId, status: message.status });
		const updated = await updateMailMessageStatus({
			db: tx,
			messageId: message.id,
			fromStatuses: ['failed'],
			values: { status, attempts: 0, lastError: null, nextAttemptAt: new Date() }
		});
		if (!updated) throw mailNotRetryable({ messageId });
		log.info({ messageId, caseId: kase.id, userId: actor.userId, status }, 'Case mail retried');
		return { message: updated };
	});
}
