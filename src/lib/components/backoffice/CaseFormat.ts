import { TIME_ZONE } from '$lib/domain/datetime.ts';
import type { Locale, MessageKey, Translate } from '$lib/i18n/core.ts';
import { intlLocale } from '$lib/i18n/core.ts';

/**
 * Shared by the case pages: stage names, dates shown in the programme's time zone
 * (`$lib/domain/datetime.ts`), and the per-field error lookup of failed forms.
 */

export type StageLabels = Record<string, { fr?: string; en?: string }> | undefined;

/** The name of a stage: the programme's own label, else the default one. */
export function stageLabel(t: Translate, locale: Locale, stage: string, labels?: StageLabels): string {
	const own = labels?.[stage]?.[locale];
	if (own) return own;
	const key = `case_stage_${stage}` as MessageKey;
	const label = t(key);
	return label === key ? stage : label;
}

/** Badge colour of a stage: exits muted, installed and later green, open ones blue. */
export function stageTone(
	stage: string,
	stages: readonly string[],
	/** Index of the stage mapped to `installed` when the programme renamed it (programme settings). */
	installedIndex: number = stages.indexOf('installed')
): 'info' | 'success' | 'neutral' | 'warning' | 'primary' {
	if (stage === 'abandoned') return 'neutral';
	if (stage === 'left_territory') return 'warning';
	const installed = installedIndex === -1 ? stages.length : installedIndex;
	const index = stages.indexOf(stage);
	if (index === -1) return 'neutral';
	if (index >= installed) return 'success';
	return index === 0 ? 'primary' : 'info';
}

export function formatDate(
	locale: Locale,
	value: Date | string,
	style: 'medium' | 'short' = 'medium'
): string {
	const date = typeof value === 'string' ? new Date(`${value.slice(0, 10)}T12:00:00Z`) : value;
	return new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: style, timeZone: TIME_ZONE }).format(date);
}

export function formatDateTime(locale: Locale, value: Date): string {
	return new Intl.DateTimeFormat(intlLocale(locale), {
		dateStyle: 'medium',
		timeStyle: 'short',
		timeZone: TIME_ZONE
	}).format(value);
}

type FormLike = { issues?: Record<string, string>; values?: Record<string, string> } | null | undefined;

/** The error code of a field after a failed submit (`children` also matches `children.0.age`). */
export function issueOf(form: FormLike, name: string): string | null {
	const issues = form?.issues;
	if (!issues) return null;
	if (issues[name]) return issues[name];
	const nested = Object.keys(issues).find((key) => key.startsWith(`${name}.`));
	return nested ? issues[nested] : null;
}

/**
 * The label of a person's sector, status or origin area (domain/vocabulary): the list's label,
 * or "Other: <words typed>" for `other` with a text; a value outside the list is shown as stored.
 */
export function vocabularyLabel(
	t: Translate,
	vocabulary: 'sector' | 'status' | 'origin',
	key: string | null | undefined,
	other?: string | null
): string {
	if (!key) return '';
	if (key === 'other' && other) return t('case_value_other_with_text', { text: other });
	const messageKey = `case_${vocabulary}_${key}` as MessageKey;
	const label = t(messageKey);
	return label === messageKey ? key : label;
}

/**
 * A person's origin in words: the region's label, the country's name when abroad (or the
 * country alone), "Other: <words typed>"; empty when unknown.
 */
export function originText(
	t: Translate,
	locale: Locale,
	person: { originCountry?: string | null; originArea?: string | null; originAreaOther?: string | null }
): string {
	const country = person.originCountry?.trim().toUpperCase() || null;
	const area = person.originArea || null;
	const countryName = country ? regionName(locale, country) : null;
	if (area === 'abroad' || (!area && country && country !== 'FR'))
		return countryName && country !== 'FR' ? countryName : t('case_origin_abroad');
	const label = vocabularyLabel(t, 'origin', area, person.originAreaOther);
	return label || countryName || '';
}

/** The name of a country (ISO 3166 code) in the locale, or the code when unknown. */
export function regionName(locale: Locale, code: string): string {
	try {
		return new Intl.DisplayNames([intlLocale(locale)], { type: 'region', fallback: 'code' }).of(code) ?? code;
	} catch {
		return code;
	}
}

/**
 * The label of a value of the observatory's origin dimension (observatory.rules `originOf`):
 * `FR` (France, region not given), a country code, `abroad` without a country, or a key of the
 * origins' vocabulary.
 */
export function observatoryOriginLabel(t: Translate, locale: Locale, value: string): string {
	if (value === 'FR') return t('observatory_profiles_origin_france');
	if (/^[A-Z]{2}$/.test(value)) return regionName(locale, value);
	if (value === 'abroad') return t('case_origin_abroad_unknown_country');
	return vocabularyLabel(t, 'origin', value);
}
