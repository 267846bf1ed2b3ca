import { defineError } from '../../errors.ts';

/** No template with this id in the actor's programme (templates of other programmes answer this too). */
export const mailTemplateNotFound = defineError('mail_template.not_found', 'not_found');
/** Only programme staff (admins, advisors) manage templates and send mail from a case. */
export const mailTemplateForbidden = defineError('mail_template.forbidden', 'forbidden');
/**
 * The subject or body uses variables that do not exist. details: { field, variables }
 * (variables as written, e.g. "{{prenom}}, {{ville}}"), so the message can name them.
 */
export const mailTemplateUnknownVariables = defineError('mail_template.unknown_variables', 'invalid');
