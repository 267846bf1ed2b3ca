import enAccount from '../../../messages/en/account.json' with { type: 'json' };
import enBackofficeCases from '../../../messages/en/backoffice_cases.json' with { type: 'json' };
import enCase from '../../../messages/en/case.json' with { type: 'json' };
import enCommon from '../../../messages/en/common.json' with { type: 'json' };
import enMail from '../../../messages/en/mail.json' with { type: 'json' };
import enOps from '../../../messages/en/ops.json' with { type: 'json' };
import enPortal from '../../../messages/en/portal.json' with { type: 'json' };
import enProgramme from '../../../messages/en/programme.json' with { type: 'json' };
import enTerritory from '../../../messages/en/territory.json' with { type: 'json' };
import frAccount from '../../../messages/fr/account.json' with { type: 'json' };
import frBackofficeCases from '../../../messages/fr/backoffice_cases.json' with { type: 'json' };
import frCase from '../../../messages/fr/case.json' with { type: 'json' };
import frCommon from '../../../messages/fr/common.json' with { type: 'json' };
import frMail from '../../../messages/fr/mail.json' with { type: 'json' };
import frOps from '../../../messages/fr/ops.json' with { type: 'json' };
import frPortal from '../../../messages/fr/portal.json' with { type: 'json' };
import frProgramme from '../../../messages/fr/programme.json' with { type: 'json' };
import frTerritory from '../../../messages/fr/territory.json' with { type: 'json' };
import enReference from '../../../messages/en/reference.json' with { type: 'json' };
import frReference from '../../../messages/fr/reference.json' with { type: 'json' };
import enOffer from '../../../messages/en/offer.json' with { type: 'json' };
import enVillage from '../../../messages/en/village.json' with { type: 'json' };
import enWorkspace from '../../../messages/en/workspace.json' with { type: 'json' };
import frOffer from '../../../messages/fr/offer.json' with { type: 'json' };
import frVillage from '../../../messages/fr/village.json' with { type: 'json' };
import frWorkspace from '../../../messages/fr/workspace.json' with { type: 'json' };
import enBackofficeListings from '../../../messages/en/backoffice_listings.json' with { type: 'json' };
import frBackofficeListings from '../../../messages/fr/backoffice_listings.json' with { type: 'json' };
import enApply from '../../../messages/en/apply.json' with { type: 'json' };
import frApply from '../../../messages/fr/apply.json' with { type: 'json' };
import enPortalPages from '../../../messages/en/portal_pages.json' with { type: 'json' };
import frPortalPages from '../../../messages/fr/portal_pages.json' with { type: 'json' };
import enEvent from '../../../messages/en/event.json' with { type: 'json' };
import frEvent from '../../../messages/fr/event.json' with { type: 'json' };
import enDigest from '../../../messages/en/digest.json' with { type: 'json' };
import frDigest from '../../../messages/fr/digest.json' with { type: 'json' };
import enEventRegistration from '../../../messages/en/event_registration.json' with { type: 'json' };
import frEventRegistration from '../../../messages/fr/event_registration.json' with { type: 'json' };
import enAdvisorDashboard from '../../../messages/en/advisor_dashboard.json' with { type: 'json' };
import frAdvisorDashboard from '../../../messages/fr/advisor_dashboard.json' with { type: 'json' };
import enReferral from '../../../messages/en/referral.json' with { type: 'json' };
import frReferral from '../../../messages/fr/referral.json' with { type: 'json' };
import enMailTemplate from '../../../messages/en/mail_template.json' with { type: 'json' };
import frMailTemplate from '../../../messages/fr/mail_template.json' with { type: 'json' };

import enCaseEdit from '../../../messages/en/case_edit.json' with { type: 'json' };
import frCaseEdit from '../../../messages/fr/case_edit.json' with { type: 'json' };
import enAudit from '../../../messages/en/audit.json' with { type: 'json' };
import enPrivacy from '../../../messages/en/privacy.json' with { type: 'json' };
import frPrivacy from '../../../messages/fr/privacy.json' with { type: 'json' };
import frAudit from '../../../messages/fr/audit.json' with { type: 'json' };
import enCaseImport from '../../../messages/en/case_import.json' with { type: 'json' };
import enFollowUp from '../../../messages/en/follow_up.json' with { type: 'json' };
import frFollowUp from '../../../messages/fr/follow_up.json' with { type: 'json' };
import enProgrammeSettings from '../../../messages/en/programme_settings.json' with { type: 'json' };
import frProgrammeSettings from '../../../messages/fr/programme_settings.json' with { type: 'json' };
import frCaseImport from '../../../messages/fr/case_import.json' with { type: 'json' };
import enMember from '../../../messages/en/member.json' with { type: 'json' };
import frMember from '../../../messages/fr/member.json' with { type: 'json' };
import enAmbassador from '../../../messages/en/ambassador.json' with { type: 'json' };
import frAmbassador from '../../../messages/fr/ambassador.json' with { type: 'json' };
import enObservatory from '../../../messages/en/observatory.json' with { type: 'json' };
import frObservatory from '../../../messages/fr/observatory.json' with { type: 'json' };
import enObservatoryGeography from '../../../messages/en/observatory_geography.json' with { type: 'json' };
import frObservatoryGeography from '../../../messages/fr/observatory_geography.json' with { type: 'json' };
import enObservatoryDurability from '../../../messages/en/observatory_durability.json' with { type: 'json' };
import frObservatoryDurability from '../../../messages/fr/observatory_durability.json' with { type: 'json' };
import enObservatoryExports from '../../../messages/en/observatory_exports.json' with { type: 'json' };
import frObservatoryExports from '../../../messages/fr/observatory_exports.json' with { type: 'json' };
import enObservatoryApi from '../../../messages/en/observatory_api.json' with { type: 'json' };
import frObservatoryApi from '../../../messages/fr/observatory_api.json' with { type: 'json' };
import enStats from '../../../messages/en/stats.json' with { type: 'json' };
import enSetup from '../../../messages/en/setup.json' with { type: 'json' };
import frSetup from '../../../messages/fr/setup.json' with { type: 'json' };
import frStats from '../../../messages/fr/stats.json' with { type: 'json' };
import enEventAdmin from '../../../messages/en/event_admin.json' with { type: 'json' };
import frEventAdmin from '../../../messages/fr/event_admin.json' with { type: 'json' };
import enVillageAdmin from '../../../messages/en/village_admin.json' with { type: 'json' };
import frVillageAdmin from '../../../messages/fr/village_admin.json' with { type: 'json' };
import enOrganisation from '../../../messages/en/organisation.json' with { type: 'json' };
import frOrganisation from '../../../messages/fr/organisation.json' with { type: 'json' };
import enPeople from '../../../messages/en/people.json' with { type: 'json' };
import frPeople from '../../../messages/fr/people.json' with { type: 'json' };

/**
 * Messages live in one file per business area and language (messages/<locale>/<area>.json);
 * keys are `<area>_<context>_<element>` and unique across areas.
 */
const fr = {
	...frEventAdmin,
	...frVillageAdmin,
	...frOrganisation,
	...frSetup,
	...frFollowUp,
	...frProgrammeSettings,
	...frMember,
	...frAmbassador,
	...frCaseImport,
	...frCaseEdit,
	...frAudit,
	...frCommon,
	...frAccount,
	...frMail,
	...frTerritory,
	...frReference,
	...frProgramme,
	...frOps,
	...frPortal,
	...frCase,
	...frBackofficeCases,
	...frVillage,
	...frWorkspace,
	...frOffer,
	...frBackofficeListings,
	...frApply,
	...frPortalPages,
	...frEvent,
	...frAdvisorDashboard,
	...frEventRegistration,
	...frDigest,
	...frReferral,
	...frMailTemplate,
	...frObservatory,
	...frObservatoryGeography,
	...frObservatoryDurability,
	...frObservatoryExports,
	...frObservatoryApi,
	...frStats,
	...frPeople,
	...frPrivacy
};
const en = {
	...enEventAdmin,
	...enVillageAdmin,
	...enOrganisation,
	...enSetup,
	...enFollowUp,
	...enProgrammeSettings,
	...enMember,
	...enAmbassador,
	...enCaseImport,
	...enCaseEdit,
	...enAudit,
	...enCommon,
	...enAccount,
	...enMail,
	...enTerritory,
	...enReference,
	...enProgramme,
	...enOps,
	...enPortal,
	...enCase,
	...enBackofficeCases,
	...enVillage,
	...enWorkspace,
	...enOffer,
	...enBackofficeListings,
	...enApply,
	...enPortalPages,
	...enEvent,
	...enAdvisorDashboard,
	...enEventRegistration,
	...enDigest,
	...enReferral,
	...enMailTemplate,
	...enObservatory,
	...enObservatoryGeography,
	...enObservatoryDurability,
	...enObservatoryExports,
	...enObservatoryApi,
	...enStats,
	...enPeople,
	...enPrivacy
};

/** French is the source language; English is complete (a test checks both key sets match). */
export const LOCALES = ['fr', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'fr';
export type MessageKey = keyof typeof fr;
export type MessageParams = Record<string, string | number>;

const catalogues: Record<Locale, Record<string, string>> = { fr, en };

export function isLocale(value: unknown): value is Locale {
	return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

export function hasMessage(key: string): key is MessageKey {
	return key in fr;
}

/**
 * Formats a message: `{name}` is replaced by a parameter, and
 * `{count, plural, =0 {none} one {# village} other {# villages}}` picks a variant
 * with Intl.PluralRules. Numbers are formatted for the locale.
 */
export function formatMessage(locale: Locale, template: string, params: MessageParams = {}): string {
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
		out += formatPlaceholder(locale, inner, params);
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

function formatValue(locale: Locale, value: string | number | undefined): string {
	if (value === undefined) return '';
	// NaN is a figure hidden by the observatory's minimum cell size: never printed as "NaN".
	if (typeof value === 'number' && Number.isNaN(value)) return translate(locale, 'common_hidden_number');
	return typeof value === 'number' ? new Intl.NumberFormat(locale).format(value) : value;
}

function formatPlaceholder(locale: Locale, inner: string, params: MessageParams): string {
	const match = /^\s*(\w+)\s*,\s*plural\s*,(.*)$/s.exec(inner);
	if (!match) return formatValue(locale, params[inner.trim()]);
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
	return formatMessage(locale, chosen.replace(/#/g, formatValue(locale, count)), params);
}

/** The translated text of a key; falls back to French, then to the key itself. */
export function translate(locale: Locale, key: MessageKey | string, params?: MessageParams): string {
	const template = catalogues[locale][key] ?? catalogues.fr[key];
	if (template === undefined) return key;
	return formatMessage(locale, template, params);
}

export type Translate = (key: MessageKey, params?: MessageParams) => string;

export function createTranslator(locale: Locale): Translate {
	return (key, params) => translate(locale, key, params);
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

export const catalogueKeys = { fr: Object.keys(fr), en: Object.keys(en) };

/** The message key of an error code: `account.invalid_email` → `error_account_invalid_email`. */
export function errorKey(code: string): MessageKey {
	return `error_${code.replace(/\./g, '_')}` as MessageKey;
}
