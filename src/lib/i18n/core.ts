import type frMessages from './catalogues/fr.ts';

/**
 * The i18n code that holds no messages: locales, the message format, translators over a given
 * catalogue. Browser code imports this (and gets its messages from the root layout, see
 * `load.ts`); `index.ts` adds the whole catalogue for the server, the CLI and the tests.
 */

/** French is the source language; English is complete (a test checks both key sets match). */
export const LOCALES = ['fr', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'fr';
export type MessageKey = keyof typeof frMessages;
export type MessageParams = Record<string, string | number>;
/** A locale's messages by key. */
export type Catalogue = Readonly<Record<string, string>>;
export type Translate = (key: MessageKey, params?: MessageParams) => string;

/**
 * The BCP 47 tag for dates and numbers: English pages read British dates ("5 May 2012", 24-hour
 * clock), French ones French dates; a bare `en` would give US dates ("May 5, 2012").
 */
export function intlLocale(locale: Locale): 'fr-FR' | 'en-GB' {
	return locale === 'en' ? 'en-GB' : 'fr-FR';
}

export function isLocale(value: unknown): value is Locale {
	return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * Formats a message: `{name}` is replaced by a parameter, and
 * `{count, plural, =0 {none} one {# village} other {# villages}}` picks a variant
 * with Intl.PluralRules. Numbers are formatted for the locale; a NaN (a figure hidden by the
 * observatory's minimum cell size) reads `hidden`.
 */
export function formatTemplate(
	locale: Locale,
	template: string,
	params: MessageParams = {},
	hidden = ''
): string {
	let out = '';
	let i = 0;
	while (i < template.length) {
		const open = template.indexOf('{', i);
		if (open === -1) {
			out += template.slice(i);
			break;
		}
		out += template.slice(i, open);
		const close = matchingBrace(template, open);
		const inner = template.slice(open + 1, close);
		out += formatPlaceholder(locale, inner, params, hidden);
		i = close + 1;
	}
	return out;
}

function matchingBrace(text: string, open: number): number {
	let depth = 0;
	for (let i = open; i < text.length; i++) {
		if (text[i] === '{') depth++;
		else if (text[i] === '}' && --depth === 0) return i;
	}
	throw new Error(`Unbalanced braces in message: ${text}`);
}

function formatValue(locale: Locale, value: string | number | undefined, hidden: string): string {
	if (value === undefined) return '';
	// NaN is a figure hidden by the observatory's minimum cell size: never printed as "NaN".
	if (typeof value === 'number' && Number.isNaN(value)) return hidden;
	return typeof value === 'number' ? new Intl.NumberFormat(locale).format(value) : value;
}

function formatPlaceholder(locale: Locale, inner: string, params: MessageParams, hidden: string): string {
	const match = /^\s*(\w+)\s*,\s*plural\s*,(.*)$/s.exec(inner);
	if (!match) return formatValue(locale, params[inner.trim()], hidden);
	const [, name, body] = match;
	const count = Number(params[name] ?? 0);
	const variants = new Map<string, string>();
	const variantPattern = /\s*(=\d+|zero|one|two|few|many|other)\s*\{/g;
	let m: RegExpExecArray | null;
	while ((m = variantPattern.exec(body))) {
		const start = m.index + m[0].length - 1;
		const end = matchingBrace(body, start);
		variants.set(m[1], body.slice(start + 1, end));
		variantPattern.lastIndex = end + 1;
	}
	const chosen =
		variants.get(`=${count}`) ??
		variants.get(new Intl.PluralRules(locale).select(count)) ??
		variants.get('other') ??
		'';
	return formatTemplate(locale, chosen.replace(/#/g, formatValue(locale, count, hidden)), params, hidden);
}

/**
 * A translator over `messages` (then `fallback`): the text of a key, or the key itself when
 * neither has it.
 */
export function createCatalogueTranslator(
	locale: Locale,
	messages: Catalogue,
	fallback: Catalogue = messages
): Translate {
	const hidden = messages.common_hidden_number ?? fallback.common_hidden_number ?? '';
	return (key, params) => {
		const template = messages[key] ?? fallback[key];
		if (template === undefined) return key;
		return formatTemplate(locale, template, params, hidden);
	};
}

/** Picks the best supported locale from an Accept-Language header. */
export function negotiateLocale(acceptLanguage: string | null | undefined): Locale {
	if (!acceptLanguage) return DEFAULT_LOCALE;
	const ranked = acceptLanguage
		.split(',')
		.map((part) => {
			const [tag, ...rest] = part.trim().split(';');
			const q = rest.find((p) => p.trim().startsWith('q='));
			return { tag: tag.toLowerCase(), q: q ? Number(q.trim().slice(2)) : 1 };
		})
		.sort((a, b) => b.q - a.q);
	for (const { tag } of ranked) {
		const base = tag.split('-')[0];
		if (isLocale(base)) return base;
	}
	return DEFAULT_LOCALE;
}

/** The message key of an error code: `account.invalid_email` → `error_account_invalid_email`. */
export function errorKey(code: string): MessageKey {
	return `error_${code.replace(/\./g, '_')}` as MessageKey;
}
