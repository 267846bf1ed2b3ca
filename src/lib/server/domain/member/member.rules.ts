import { foldForSearch } from '../../../domain/search.ts';
import type {
	FieldVisibility,
	MemberProfile,
	ProfileField,
	ProfileVisibility
} from '../../db/schema/index.ts';
import { DEFAULT_PROFILE_VISIBILITY } from '../../db/schema/index.ts';

/*
 * Pure rules of the member directory: who sees which field, and how a typed query
 * ("traductrice néerlandais Lectoure", "Dutch translator near Lectoure") becomes filters.
 */

/** Who looks at a profile: a visitor, a signed-in member or staff, or the member themselves. */
export type Audience = 'public' | 'members' | 'owner';

/** Whether a field at this visibility is shown to this audience. */
export function canSee(visibility: FieldVisibility, audience: Audience): boolean {
	if (audience === 'owner') return true;
	if (visibility === 'public') return true;
	return visibility === 'members' && audience === 'members';
}

/** The visibility of every field, with defaults for fields a stored value lacks. */
export function fullVisibility(visibility: Partial<ProfileVisibility> | null | undefined): ProfileVisibility {
	return { ...DEFAULT_PROFILE_VISIBILITY, ...(visibility ?? {}) };
}

/** A profile as one audience sees it: each field it may not see is null (or empty). */
export type DirectoryProfile = {
	id: string;
	/** Null when the name is not visible: pages show "A member" instead. */
	displayName: string | null;
	headline: string | null;
	skills: string[];
	services: string | null;
	languages: string[];
	communeCode: string | null;
	website: string | null;
	email: string | null;
	isAmbassador: boolean;
	isDemo: boolean;
	updatedAt: Date;
};

export function projectProfile(
	profile: Pick<
		MemberProfile,
		| 'id'
		| 'displayName'
		| 'headline'
		| 'skills'
		| 'services'
		| 'languages'
		| 'communeCode'
		| 'website'
		| 'visibility'
		| 'isAmbassador'
		| 'isDemo'
		| 'updatedAt'
	>,
	audience: Audience,
	email: string | null = null
): DirectoryProfile {
	const visibility = fullVisibility(profile.visibility);
	const show = (field: ProfileField) => canSee(visibility[field], audience);
	return {
		id: profile.id,
		displayName: show('name') ? profile.displayName : null,
		headline: show('headline') ? profile.headline : null,
		skills: show('skills') ? profile.skills : [],
		services: show('services') ? profile.services : null,
		languages: show('languages') ? profile.languages : [],
		communeCode: show('commune') ? profile.communeCode : null,
		website: show('website') ? profile.website : null,
		email: show('email') ? email : null,
		isAmbassador: profile.isAmbassador,
		isDemo: profile.isDemo,
		updatedAt: profile.updatedAt
	};
}

/** Language names people type, in French and English (folded), for each ISO 639-1 code. */
export const LANGUAGE_NAMES: Record<string, readonly string[]> = {
	fr: ['francais', 'francaise', 'french'],
	en: ['anglais', 'anglaise', 'english', 'anglophone'],
	nl: [
		'neerlandais',
		'neerlandaise',
		'hollandais',
		'hollandaise',
		'flamand',
		'dutch',
		'flemish',
		'nederlands'
	],
	de: ['allemand', 'allemande', 'german', 'deutsch', 'germanophone'],
	es: ['espagnol', 'espagnole', 'spanish', 'espanol', 'hispanophone'],
	it: ['italien', 'italienne', 'italian', 'italiano'],
	pt: ['portugais', 'portugaise', 'portuguese'],
	da: ['danois', 'danoise', 'danish'],
	sv: ['suedois', 'suedoise', 'swedish'],
	pl: ['polonais', 'polonaise', 'polish'],
	ar: ['arabe', 'arabic'],
	zh: ['chinois', 'chinoise', 'chinese', 'mandarin'],
	ja: ['japonais', 'japonaise', 'japanese'],
	ru: ['russe', 'russian'],
	oc: ['occitan', 'gascon']
};

const LANGUAGE_BY_NAME = new Map(
	Object.entries(LANGUAGE_NAMES).flatMap(([code, names]) => names.map((name) => [name, code] as const))
);

/** An ISO 639-1 code typed as a code ("nl") or a name ("néerlandais", "Dutch"); null if unknown. */
export function languageCode(value: string): string | null {
	const folded = foldForSearch(value.trim());
	if (LANGUAGE_NAMES[folded]) return folded;
	return LANGUAGE_BY_NAME.get(folded) ?? null;
}

/**
 * Trades named differently in French and English: a word of the query that starts like
 * one of a group's stems matches a profile containing any stem of the group, so
 * "traductrice", "traducteur" and "translator" find "Traduction FR-NL".
 */
export const TRADE_GROUPS: readonly (readonly string[])[] = [
	['tradu', 'translat', 'interpr'],
	['develop', 'program', 'logiciel', 'software', 'codeu', 'coder', 'fullstack', 'devops'],
	['design', 'graphis', 'graphic'],
	['consult', 'conseil', 'advis'],
	['artisan', 'craft', 'menuis', 'carpent', 'ebenis', 'woodwork', 'cerami', 'potier', 'potter'],
	['photograph', 'photo'],
	['redact', 'redige', 'writer', 'writing', 'copywrit', 'ecrivain'],
	['market', 'communic'],
	['compta', 'account', 'bookkeep'],
	['formateu', 'formatric', 'trainer', 'training', 'coach', 'enseign', 'teach'],
	['illustr'],
	['architect'],
	['video', 'film', 'montage', 'editing']
];

/** Words that carry no meaning in a directory query, in French and English (folded). */
const STOP_WORDS = new Set([
	'a',
	'an',
	'the',
	'who',
	'that',
	'speaks',
	'speaking',
	'speak',
	'in',
	'at',
	'of',
	'and',
	'or',
	'for',
	'with',
	'near',
	'around',
	'close',
	'to',
	'un',
	'une',
	'des',
	'de',
	'du',
	'd',
	'le',
	'la',
	'les',
	'l',
	'qui',
	'parle',
	'parlant',
	'parlent',
	'en',
	'et',
	'ou',
	'pour',
	'avec',
	'pres',
	'proche',
	'autour',
	'vers',
	'sur',
	'dans'
]);

/** Folded words of a query or a commune name: accents, case, hyphens and apostrophes do not matter. */
export function queryTokens(text: string): string[] {
	return foldForSearch(text)
		.split(/[^a-z0-9]+/)
		.filter(Boolean);
}

/** Runs of 1 to 4 consecutive words: the phrases that might name a commune ("saint clar"). */
export function candidatePhrases(tokens: readonly string[], maxWords = 4): string[] {
	const phrases = new Set<string>();
	for (let start = 0; start < tokens.length; start++) {
		for (let length = 1; length <= maxWords && start + length <= tokens.length; length++) {
			const words = tokens.slice(start, start + length);
			if (length === 1 && (STOP_WORDS.has(words[0]) || words[0].length < 3)) continue;
			phrases.add(words.join(' '));
		}
	}
	return [...phrases];
}

/** One word of the query: a profile matches when its text contains any of these patterns. */
export type QueryTerm = { word: string; patterns: string[] };

export type ParsedQuery = {
	/** Every term must match (AND); a term's patterns are alternatives (OR). */
	terms: QueryTerm[];
	/** Languages named in the query ("néerlandais", "Dutch"): the profile must speak one of them. */
	languages: string[];
	/** A commune named in the query: profiles near it. */
	communeCode: string | null;
};

/** The patterns a word matches: its trade group's stems, or the word itself (plural "s" dropped). */
export function termPatterns(word: string): string[] {
	const group = TRADE_GROUPS.find((stems) => stems.some((stem) => word.startsWith(stem)));
	if (group) return [...group];
	const stem = word.length > 4 && word.endsWith('s') ? word.slice(0, -1) : word;
	return [stem];
}

/**
 * Splits a typed query into language filters, a commune and free-text terms.
 * `communeByPhrase` maps folded commune names found in the query (see candidatePhrases)
 * to their codes; the longest name wins, its words leave the free text.
 */
export function parseDirectoryQuery(
	text: string,
	communeByPhrase: ReadonlyMap<string, string> = new Map()
): ParsedQuery {
	let tokens = queryTokens(text);
	let communeCode: string | null = null;
	const names = [...communeByPhrase.keys()].sort((a, b) => b.split(' ').length - a.split(' ').length);
	for (const name of names) {
		const words = name.split(' ');
		const at = tokens.findIndex((_, i) => words.every((word, j) => tokens[i + j] === word));
		if (at === -1) continue;
		communeCode = communeByPhrase.get(name) ?? null;
		tokens = [...tokens.slice(0, at), ...tokens.slice(at + words.length)];
		break;
	}
	const languages = new Set<string>();
	const terms: QueryTerm[] = [];
	for (const token of tokens) {
		const language = LANGUAGE_BY_NAME.get(token);
		if (language) {
			languages.add(language);
			continue;
		}
		if (STOP_WORDS.has(token) || token.length < 2) continue;
		terms.push({ word: token, patterns: termPatterns(token) });
	}
	return { terms, languages: [...languages], communeCode };
}

/** Default radius of "near a commune" when a commune is named in the query, in km. */
export const DEFAULT_NEAR_KM = 15;

/** A website as a link: only http(s); "example.org" becomes "https://example.org". */
export function normaliseWebsite(value: string): string | null {
	const trimmed = value.trim();
	if (!trimmed) return null;
	const withScheme = /^https?:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
	try {
		const url = new URL(withScheme);
		if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
		if (!url.hostname.includes('.')) return null;
		return url.toString();
	} catch {
		return null;
	}
}

/** Skills typed in one field, separated by commas or new lines; duplicates (folded) removed. */
export function splitSkills(value: string | readonly string[]): string[] {
	const items = (typeof value === 'string' ? value.split(/[,;\n]+/) : value)
		.map((item) => item.trim().replace(/\s+/g, ' '))
		.filter(Boolean);
	const seen = new Set<string>();
	return items.filter((item) => {
		const key = foldForSearch(item);
		if (seen.has(key)) return false;
		seen.add(key);
		return true;
	});
}
