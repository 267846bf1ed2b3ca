/**
 * The variables a template may use, written `{{name}}`. Must stay in sync with the
 * values built in mail-template.service.ts (caseMailValues) and the list documented on
 * the editing page (messages `mailtpl_variable_*`).
 */
export const MAIL_TEMPLATE_VARIABLES = [
	'firstName',
	'lastName',
	'reference',
	'programme',
	'advisor',
	'villages',
	'stage'
] as const;
export type MailTemplateVariable = (typeof MAIL_TEMPLATE_VARIABLES)[number];
export type MailTemplateValues = Record<MailTemplateVariable, string>;

const VARIABLE_PATTERN = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The variables a text uses that do not exist, as written (`{{prenom}}`), each once. */
export function findUnknownVariables(text: string): string[] {
	const unknown = new Set<string>();
	for (const match of text.matchAll(VARIABLE_PATTERN)) {
		if (!(MAIL_TEMPLATE_VARIABLES as readonly string[]).includes(match[1])) unknown.add(match[0]);
	}
	return [...unknown];
}

/** Markdown's special characters, escaped so a value (a name) is shown as typed. */
export function escapeMarkdown(value: string): string {
	return value.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, (char) => `\\${char}`);
}

/**
 * Replaces each known `{{variable}}` by its value (unknown ones are refused at save, so
 * they stay as written). `escape` protects Markdown from the values.
 */
export function fillVariables(
	text: string,
	values: MailTemplateValues,
	escape: (value: string) => string = (value) => value
): string {
	return text.replace(VARIABLE_PATTERN, (whole, name: string) =>
		(MAIL_TEMPLATE_VARIABLES as readonly string[]).includes(name)
			? escape(values[name as MailTemplateVariable])
			: whole
	);
}
