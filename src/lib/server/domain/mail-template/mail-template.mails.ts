import { renderMarkdown } from '../../content/markdown.ts';
import { renderMailLayout } from '../../mail/mail.layout.ts';
import type { Locale } from '../../../i18n/index.ts';
import { escapeMarkdown, fillVariables, type MailTemplateValues } from './mail-template.rules.ts';

/**
 * One personalised message from a template: the subject and the Markdown body with the
 * recipient's values; the HTML part is the sanitised Markdown in the soho layout, the
 * text part the filled Markdown itself (readable as plain text).
 */
export function renderTemplateMail({
	locale,
	subject,
	body,
	values,
	senderName
}: {
	locale: Locale;
	subject: string;
	body: string;
	values: MailTemplateValues;
	senderName: string;
}): { subject: string; text: string; html: string } {
	const filledSubject = fillVariables(subject, values)
		.replace(/[\r\n]+/g, ' ')
		.trim();
	const text = fillVariables(body, values);
	const bodyHtml = renderMarkdown(fillVariables(body, values, escapeMarkdown));
	const layout = renderMailLayout({ locale, title: filledSubject, paragraphs: [text], bodyHtml, senderName });
	return { subject: filledSubject, text: layout.text, html: layout.html };
}
