/**
 * Pure rules of the GDPR operations: consent purposes and their text version, retention
 * periods and cut-off dates, what an erasure replaces, and the register of processing
 * activities (GDPR art. 30). No database, no I/O.
 */
import type { CaseConsents, ConsentPurpose } from '../../db/schema/index.ts';

/**
 * The version of the consent texts shown on the apply form and the advisor's form. Change it
 * when the wording of `case_apply_consent_*` changes: new consents then carry the new version.
 */
export const CONSENT_TEXT_VERSION = '2026-01';

/** Each consent purpose and the key of `cases.consents` that holds its current state. */
type ConsentFlags = Pick<CaseConsents, 'contact' | 'shareWithCommittees' | 'shareWithPartners' | 'research'>;

export const CASE_CONSENT_KEYS = {
	contact: 'contact',
	share_with_committees: 'shareWithCommittees',
	share_with_partners: 'shareWithPartners',
	research: 'research'
} as const satisfies Record<ConsentPurpose, keyof ConsentFlags>;

/** The purposes a household agreed to, from the case's consents. */
export function givenPurposes(consents: ConsentFlags): ConsentPurpose[] {
	return (Object.keys(CASE_CONSENT_KEYS) as ConsentPurpose[]).filter(
		(purpose) => consents[CASE_CONSENT_KEYS[purpose]] === true
	);
}

/** Purposes that changed from refused to given, and from given to refused. */
export function consentChanges(
	before: ConsentFlags,
	after: ConsentFlags
): { given: ConsentPurpose[]; withdrawn: ConsentPurpose[] } {
	const was = new Set(givenPurposes(before));
	const now = new Set(givenPurposes(after));
	return {
		given: [...now].filter((purpose) => !was.has(purpose)),
		withdrawn: [...was].filter((purpose) => !now.has(purpose))
	};
}

/* ------------------------------------------------------------------ retention */

/** Sign-in attempts and their IP addresses are kept this long (fixed: the rate limit needs less). */
export const SIGN_IN_RETENTION_DAYS = 30;

export type RetentionPeriods = { leadInactiveMonths: number; mailBodyDays: number };

/** No settings row: a lead silent for 3 years (CNIL's guidance for prospects), mail bodies for a year. */
export const DEFAULT_RETENTION: RetentionPeriods = { leadInactiveMonths: 36, mailBodyDays: 365 };

export const RETENTION_LIMITS = {
	leadInactiveMonths: { min: 1, max: 120 },
	mailBodyDays: { min: 7, max: 3650 }
} as const;

export const RETENTION_RULES = ['inactive_leads', 'sign_in_attempts', 'session_ips', 'mail_bodies'] as const;
export type RetentionRule = (typeof RETENTION_RULES)[number];

const DAY_MS = 24 * 60 * 60 * 1000;

/** The date before which each rule applies. */
export function retentionCutoffs(
	periods: RetentionPeriods,
	now: Date
): { leadsBefore: Date; signInBefore: Date; mailBodiesBefore: Date } {
	const leadsBefore = new Date(now);
	leadsBefore.setUTCMonth(leadsBefore.getUTCMonth() - periods.leadInactiveMonths);
	return {
		leadsBefore,
		signInBefore: new Date(now.getTime() - SIGN_IN_RETENTION_DAYS * DAY_MS),
		mailBodiesBefore: new Date(now.getTime() - periods.mailBodyDays * DAY_MS)
	};
}

/* ------------------------------------------------------------------ erasure */

/** What replaces a name or a free text that named the person. */
export const ERASED = '[effacé]';

/** The address an erased person's mail and registrations keep (unique, undeliverable). */
export const erasedAddress = (rowId: string) => `erased+${rowId}@erased.invalid`;

/**
 * The strings that identify a person in free texts: names (each and together), email and
 * phone, the phone also as written in France (06 12 34 56 78, 0612345678). Short fragments
 * (under 3 characters) are left out: they would redact unrelated words.
 */
export function personIdentifiers(person: {
	firstName: string | null;
	lastName: string | null;
	email: string | null;
	phone: string | null;
}): string[] {
	const found = new Set<string>();
	const add = (value: string | null | undefined) => {
		const trimmed = value?.trim();
		if (trimmed && trimmed.length >= 3) found.add(trimmed);
	};
	add([person.firstName, person.lastName].filter(Boolean).join(' '));
	add([person.lastName, person.firstName].filter(Boolean).join(' '));
	add(person.lastName);
	add(person.firstName);
	add(person.email);
	if (person.phone) {
		add(person.phone);
		const national = /^\+33(\d{9})$/.exec(person.phone.replace(/\s/g, ''));
		if (national) {
			const digits = `0${national[1]}`;
			add(digits);
			add(digits.replace(/(\d{2})(?=\d)/g, '$1 '));
			add(digits.replace(/(\d{2})(?=\d)/g, '$1.'));
		}
	}
	// Longest first, so "Anne Martin" is replaced before "Anne".
	return [...found].sort((a, b) => b.length - a.length);
}

/**
 * What an erasure looks for: `broad` (full name, email, phone, the accounts' names and
 * addresses) everywhere in the programme; `narrow` adds the first and last names alone, looked
 * for only in the rows of the person's own case (elsewhere they would hit namesakes).
 */
export function erasureIdentifiers(
	person: { firstName: string | null; lastName: string | null; email: string | null; phone: string | null },
	accounts: { name: string; email: string }[]
): { broad: string[]; narrow: string[] } {
	const alone = new Set(
		[person.firstName, person.lastName]
			.map((name) => name?.trim())
			.filter((name): name is string => Boolean(name))
	);
	const all = new Set(personIdentifiers(person));
	for (const account of accounts) {
		for (const value of [account.name, account.email]) {
			const trimmed = value.trim();
			if (trimmed.length >= 3 && !trimmed.endsWith('@erased.invalid') && trimmed !== ERASED) all.add(trimmed);
		}
	}
	const byLength = (a: string, b: string) => b.length - a.length;
	const narrow = [...all].sort(byLength);
	// A one-word name ("Garnier") is a namesake risk programme-wide, unless it is all we have.
	const broad = narrow.filter((identifier) => !alone.has(identifier) || alone.size === 0);
	return { broad, narrow };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The text with every identifier replaced by ERASED (case-insensitive). */
export function scrubText(text: string, identifiers: readonly string[]): string {
	if (identifiers.length === 0) return text;
	const pattern = new RegExp(identifiers.map(escapeRegExp).join('|'), 'giu');
	return text.replace(pattern, ERASED);
}

/** Whether the text holds one of the identifiers. */
export function mentions(text: string | null | undefined, identifiers: readonly string[]): boolean {
	if (!text) return false;
	const lower = text.toLocaleLowerCase();
	return identifiers.some((identifier) => lower.includes(identifier.toLocaleLowerCase()));
}

/** A JSON value with every string scrubbed (keys kept). */
export function scrubJson<T>(value: T, identifiers: readonly string[]): T {
	if (typeof value === 'string') return scrubText(value, identifiers) as T;
	if (Array.isArray(value)) return value.map((item) => scrubJson(item, identifiers)) as T;
	if (value && typeof value === 'object' && !(value instanceof Date)) {
		return Object.fromEntries(
			Object.entries(value).map(([key, item]) => [key, scrubJson(item, identifiers)])
		) as T;
	}
	return value;
}

/** Columns an access request never returns: secrets and their hashes, not data about the person. */
export const EXPORT_SECRET_COLUMNS = new Set([
	'token',
	'tokenHash',
	'password',
	'accessToken',
	'refreshToken',
	'idToken',
	// The TOTP second factor (two_factors): its secret and the hashes of its recovery codes.
	'secret',
	'recoveryCodeHashes'
]);

/** One exported value as a CSV cell: objects as JSON, dates as ISO strings. */
export function toCsvCell(value: unknown): string | number | null {
	if (value === null || value === undefined) return null;
	if (value instanceof Date) return value.toISOString();
	if (typeof value === 'number') return value;
	if (typeof value === 'boolean') return value ? 'true' : 'false';
	if (typeof value === 'object') return JSON.stringify(value);
	return String(value);
}

/* ------------------------------------------------------------------ register (art. 30) */

export type ProcessingActivity = {
	key: string;
	/** Legal basis (GDPR art. 6): consent, contract, legitimate interest, legal obligation, public task. */
	basis: 'consent' | 'contract' | 'legitimate_interest' | 'legal_obligation' | 'public_task';
	/** Categories of persons concerned. */
	persons: string[];
	/** Categories of data. */
	data: string[];
	/** Who receives the data, besides the programme's staff. */
	recipients: string[];
	/** How long: a retention key (resolved from the settings) or a fixed period message. */
	retention: 'inactive_leads' | 'sign_in_attempts' | 'mail_bodies' | 'membership' | 'case_lifetime';
	/** Where in the code this processing happens (the register stays true to the code). */
	areas: string[];
};

/**
 * The processing activities soho carries out. Labels are messages
 * `privacy_register_<key>_purpose`, `privacy_register_cat_<category>`; a test checks both
 * catalogues hold them.
 */
export const PROCESSING_ACTIVITIES: ProcessingActivity[] = [
	{
		key: 'applications',
		basis: 'consent',
		persons: ['candidates', 'household_members'],
		data: ['identity', 'contact', 'household', 'professional', 'project'],
		recipients: ['committees_with_consent', 'partners_with_consent'],
		retention: 'inactive_leads',
		areas: ['case', 'case-import']
	},
	{
		key: 'support',
		basis: 'public_task',
		persons: ['candidates', 'household_members'],
		data: ['identity', 'contact', 'household', 'project', 'notes', 'documents'],
		recipients: ['committees_with_consent', 'partners_with_consent'],
		retention: 'case_lifetime',
		areas: ['case', 'referral', 'ambassador', 'candidate-space']
	},
	{
		key: 'events',
		basis: 'consent',
		persons: ['visitors', 'candidates', 'members'],
		data: ['identity', 'contact', 'attendance'],
		recipients: [],
		retention: 'case_lifetime',
		areas: ['event', 'event-registration']
	},
	{
		key: 'follow_up',
		basis: 'legitimate_interest',
		persons: ['members'],
		data: ['contact', 'survey_answers'],
		recipients: [],
		retention: 'case_lifetime',
		areas: ['follow-up']
	},
	{
		key: 'directory',
		basis: 'consent',
		persons: ['members'],
		data: ['identity', 'professional', 'contact'],
		recipients: ['public_with_consent', 'members_recipients'],
		retention: 'membership',
		areas: ['member', 'ambassador']
	},
	{
		key: 'observatory',
		basis: 'public_task',
		persons: ['candidates', 'members'],
		data: ['project', 'household', 'professional'],
		recipients: ['funders_aggregates', 'researchers_with_consent'],
		retention: 'case_lifetime',
		areas: ['observatory', 'stats']
	},
	{
		key: 'mail',
		basis: 'legitimate_interest',
		persons: ['candidates', 'members', 'staff'],
		data: ['contact', 'messages'],
		recipients: ['mail_provider'],
		retention: 'mail_bodies',
		areas: ['mail', 'mail-template', 'digest']
	},
	{
		key: 'accounts',
		basis: 'contract',
		persons: ['staff', 'members', 'candidates'],
		data: ['identity', 'contact', 'connection'],
		recipients: [],
		retention: 'sign_in_attempts',
		areas: ['account', 'people']
	}
];

/** The security measures the register lists (messages `privacy_register_security_<key>`). */
export const SECURITY_MEASURES = [
	'passwords_hashed',
	'rate_limit',
	'roles',
	'consent_scoping',
	'audit',
	'tokens_hashed',
	'retention_job',
	'backups'
] as const;
