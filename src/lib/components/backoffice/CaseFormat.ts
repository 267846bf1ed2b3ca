import type { Locale, MessageKey, Translate } from '$lib/i18n/index.ts';

/**
 * Shared by the case pages (browser and server): stage names, dates in the programme's
 * time zone, and the per-field error lookup of failed forms.
 */

/** Dates and times are shown, and typed, in the programme's time zone (the Gers). */
export const TIME_ZONE = 'Europe/Paris';

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
	return new Intl.DateTimeFormat(locale, { dateStyle: style, timeZone: TIME_ZONE }).format(date);
}

export function formatDateTime(locale: Locale, value: Date): string {
	return new Intl.DateTimeFormat(locale, {
		dateStyle: 'medium',
		timeStyle: 'short',
		timeZone: TIME_ZONE
	}).format(value);
}

/** Wall-clock parts of a date in the programme's time zone. */
function zonedParts(date: Date): Record<string, string> {
	const parts = new Intl.DateTimeFormat('en-CA', {
		timeZone: TIME_ZONE,
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		hourCycle: 'h23'
	}).formatToParts(date);
	return Object.fromEntries(parts.map((part) => [part.type, part.value]));
}

/** Today in the programme's time zone, as YYYY-MM-DD. */
export function todayIso(now = new Date()): string {
	const p = zonedParts(now);
	return `${p.year}-${p.month}-${p.day}`;
}

/** A value for <input type="datetime-local">, in the programme's time zone. */
export function toLocalInput(date: Date): string {
	const p = zonedParts(date);
	return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/**
 * Reads a datetime-local value typed in the programme's time zone. Anything else is
 * returned unchanged, for the service to judge.
 */
export function fromLocalInput(value: string): string {
	const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value.trim());
	if (!match) return value;
	const [, y, mo, d, h, mi] = match.map(Number);
	const guess = Date.UTC(y, mo - 1, d, h, mi);
	// The zone's offset at that moment: format the UTC guess there and compare.
	const p = zonedParts(new Date(guess));
	const asZoned = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute);
	return new Date(guess - (asZoned - guess)).toISOString();
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
