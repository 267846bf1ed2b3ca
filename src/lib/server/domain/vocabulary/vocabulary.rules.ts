import {
	PERSON_SECTORS,
	PERSON_STATUSES,
	type PersonSector,
	type PersonStatus
} from '../../db/schema/index.ts';
import { foldForSearch } from '../../../domain/search.ts';
import { translate } from '../../../i18n/index.ts';

/**
 * Controlled vocabularies of a person's profile (sector, professional status). A value is a key
 * of the list; `other` keeps the text as typed beside it (`sector_other`, `status_other`) until an
 * advisor maps that text to a key, so free text never splits a category of the observatory.
 */
export const VOCABULARIES = ['sector', 'status'] as const;
export type Vocabulary = (typeof VOCABULARIES)[number];

export const VOCABULARY_KEYS = {
	sector: PERSON_SECTORS,
	status: PERSON_STATUSES
} as const satisfies Record<Vocabulary, readonly string[]>;

export type VocabularyKey<V extends Vocabulary> = (typeof VOCABULARY_KEYS)[V][number];

/**
 * Lower case, no diacritics, words separated by one space: "  Numérique / Web " → "numerique web".
 * Must stay in sync with `foldedSql` (vocabulary.repository.ts) and migration 0034, which fold in
 * SQL with the same letters (`SEARCH_FOLD_FROM`/`TO`).
 */
export function foldVocabularyText(text: string): string {
	return foldForSearch(text.toLowerCase().replace(/œ/g, 'oe').replace(/æ/g, 'ae'))
		.replace(/[^a-z0-9]+/g, ' ')
		.trim();
}

/**
 * Words people write for each sector (French and English), folded. A text equal to one of them,
 * or containing them as whole words when they all point to one sector, is that sector.
 */
export const SECTOR_WORDS: Record<Exclude<PersonSector, 'other'>, readonly string[]> = {
	digital: [
		'digital',
		'numerique',
		'web',
		'webdesign',
		'web design',
		'webdesigner',
		'developpement web',
		'developpeur web',
		'web developer',
		'ux',
		'ui',
		'design numerique',
		'multimedia',
		'traduction',
		'translation',
		'traducteur',
		'translator'
	],
	it: [
		'it',
		'informatique',
		'computing',
		'software',
		'logiciel',
		'developpement logiciel',
		'ingenieur logiciel',
		'software engineer',
		'developpeur',
		'developer',
		'systemes',
		'reseaux',
		'cybersecurite',
		'cybersecurity',
		'e commerce',
		'ecommerce',
		'vente en ligne',
		'data'
	],
	communication: [
		'communication',
		'marketing',
		'graphisme',
		'graphiste',
		'graphic design',
		'design graphique',
		'redaction',
		'redacteur',
		'copywriting',
		'photographie',
		'photographe',
		'photography',
		'publicite',
		'advertising',
		'relations presse',
		'edition',
		'publishing',
		'journalisme',
		'journalism'
	],
	consulting: [
		'conseil',
		'consulting',
		'consultant',
		'consultante',
		'audit',
		'auditeur',
		'strategie',
		'strategy',
		'coaching',
		'coach',
		'ressources humaines',
		'rh',
		'hr',
		'management',
		'expertise comptable',
		'comptabilite',
		'accounting',
		'finance',
		'juridique',
		'legal'
	],
	training: [
		'formation',
		'training',
		'enseignement',
		'teaching',
		'education',
		'formateur',
		'formatrice',
		'trainer',
		'teacher',
		'enseignant',
		'cours de langues',
		'language teaching'
	],
	crafts: [
		'artisanat',
		'artisan',
		'crafts',
		'craft',
		'handicraft',
		'ebenisterie',
		'ebeniste',
		'menuiserie',
		'ceramique',
		'ceramiste',
		'poterie',
		'tapisserie',
		'couture',
		'boulangerie',
		'patisserie',
		'metiers d art'
	],
	commerce: [
		'commerce',
		'retail',
		'trade',
		'negoce',
		'vente',
		'sales',
		'boutique',
		'shop',
		'epicerie',
		'grocery',
		'restauration',
		'restaurant',
		'cafe',
		'bar'
	],
	health: [
		'sante',
		'health',
		'healthcare',
		'medical',
		'medecin',
		'doctor',
		'infirmier',
		'infirmiere',
		'nurse',
		'kinesitherapie',
		'kine',
		'physiotherapy',
		'osteopathie',
		'psychologie',
		'psychologue',
		'paramedical',
		'bien etre',
		'wellness'
	],
	arts: [
		'arts',
		'art',
		'culture',
		'arts et culture',
		'arts culture',
		'arts and culture',
		'artiste',
		'artist',
		'musique',
		'music',
		'musicien',
		'theatre',
		'spectacle vivant',
		'performing arts',
		'cinema',
		'audiovisuel',
		'illustration',
		'illustrateur',
		'ecriture',
		'writing',
		'litterature'
	],
	agriculture: [
		'agriculture',
		'agricole',
		'farming',
		'farm',
		'agriculteur',
		'farmer',
		'elevage',
		'maraichage',
		'viticulture',
		'vigne',
		'wine',
		'apiculture',
		'agroalimentaire'
	],
	construction: [
		'btp',
		'batiment',
		'construction',
		'building',
		'travaux publics',
		'renovation',
		'architecture',
		'architecte',
		'architect',
		'plomberie',
		'electricite',
		'maconnerie',
		'charpente'
	],
	tourism: [
		'tourisme',
		'tourism',
		'hotellerie',
		'hospitality',
		'hotel',
		'gite',
		'gites',
		'chambres d hotes',
		'bed and breakfast',
		'camping',
		'loisirs',
		'leisure'
	],
	personal_services: [
		'services a la personne',
		'service a la personne',
		'personal services',
		'aide a domicile',
		'home care',
		'garde d enfants',
		'childcare',
		'menage',
		'cleaning',
		'jardinage',
		'gardening',
		'coiffure',
		'hairdressing',
		'esthetique',
		'beauty'
	]
};

/** Words people write for each professional status (French and English), folded. */
export const STATUS_WORDS: Record<Exclude<PersonStatus, 'other'>, readonly string[]> = {
	freelancer: [
		'freelance',
		'freelancer',
		'independant',
		'independante',
		'independant e',
		'auto entrepreneur',
		'auto entrepreneuse',
		'autoentrepreneur',
		'micro entrepreneur',
		'micro entreprise',
		'profession liberale',
		'self employed',
		'portage salarial'
	],
	employee_teleworking: [
		'salarie',
		'salariee',
		'salarie e',
		'teletravail',
		'salarie en teletravail',
		'salarie e en teletravail',
		'teletravailleur',
		'employee',
		'remote employee',
		'remote worker',
		'teleworker',
		'teleworking'
	],
	founder: [
		'createur',
		'creatrice',
		'createur rice',
		'createur d entreprise',
		'createur rice d entreprise',
		'creation d entreprise',
		'creation',
		'fondateur',
		'fondatrice',
		'founder',
		'entrepreneur',
		'business founder'
	],
	business_buyer: [
		'repreneur',
		'repreneuse',
		'repreneur se',
		'reprise',
		'reprise d entreprise',
		'repreneur d entreprise',
		'repreneur se d entreprise',
		'business buyer',
		'buyer',
		'business takeover'
	],
	artist: ['artiste', 'artist', 'artisan d art', 'artiste auteur', 'intermittent du spectacle']
};

const WORDS: { [V in Vocabulary]: Record<string, readonly string[]> } = {
	sector: SECTOR_WORDS,
	status: STATUS_WORDS
};

/** Texts that say "other" and nothing more: stored as `other` without a text. */
const OTHER_WORDS = ['other', 'autre', 'autres', 'divers'];

/** The message of a key's label (French and English): `case_sector_digital`, `case_status_artist`. */
export function vocabularyLabelKey(vocabulary: Vocabulary, key: string): string {
	return `case_${vocabulary}_${key}`;
}

function exactLookup(vocabulary: Vocabulary): Map<string, string> {
	const lookup = new Map<string, string>();
	for (const key of VOCABULARY_KEYS[vocabulary]) {
		lookup.set(foldVocabularyText(key.replace(/_/g, ' ')), key);
		for (const locale of ['fr', 'en'] as const) {
			lookup.set(foldVocabularyText(translate(locale, vocabularyLabelKey(vocabulary, key))), key);
		}
	}
	for (const [key, words] of Object.entries(WORDS[vocabulary])) {
		for (const word of words) lookup.set(foldVocabularyText(word), key);
	}
	for (const word of OTHER_WORDS) lookup.set(word, 'other');
	return lookup;
}

/** Folded text → key, for every key, label and usual word of a vocabulary. */
const EXACT: { [V in Vocabulary]: Map<string, string> } = {
	sector: exactLookup('sector'),
	status: exactLookup('status')
};

/** Every folded word of a vocabulary with its key, longest first, for matching inside a text. */
export function vocabularyWords(vocabulary: Vocabulary): { word: string; key: string }[] {
	return WORDS_BY_LENGTH[vocabulary];
}

const byLength = (vocabulary: Vocabulary) =>
	[...EXACT[vocabulary]].map(([word, key]) => ({ word, key })).sort((a, b) => b.word.length - a.word.length);
const WORDS_BY_LENGTH: { [V in Vocabulary]: { word: string; key: string }[] } = {
	sector: byLength('sector'),
	status: byLength('status')
};

/**
 * The key a typed text stands for: the key itself, a label or a usual word ("Numérique",
 * "informatique", "BTP"), accent- and case-insensitive; otherwise a text that contains usual
 * words of one key only ("conseil en stratégie"). Null when no key or several keys match: the
 * text then stays "other" for an advisor to map.
 */
export function keyOfText<V extends Vocabulary>(vocabulary: V, text: string): VocabularyKey<V> | null {
	const folded = foldVocabularyText(text);
	if (!folded) return null;
	const exact = EXACT[vocabulary].get(folded);
	if (exact && exact !== 'other') return exact as VocabularyKey<V>;
	// Longest words first, each removed once found: "vente en ligne" is not also "vente".
	let rest = ` ${folded} `;
	const found = new Set<string>();
	for (const { word, key } of vocabularyWords(vocabulary)) {
		if (key === 'other' || !rest.includes(` ${word} `)) continue;
		found.add(key);
		rest = rest.split(` ${word} `).join(' | ');
	}
	return found.size === 1 ? ([...found][0] as VocabularyKey<V>) : null;
}

/** A value of a vocabulary as stored: the key, and the typed text when the key is `other`. */
export type VocabularyValue<V extends Vocabulary> = { key: VocabularyKey<V> | null; other: string | null };

const isKeyOf = <V extends Vocabulary>(vocabulary: V, value: string): value is VocabularyKey<V> =>
	(VOCABULARY_KEYS[vocabulary] as readonly string[]).includes(value);

/**
 * What to store for a value entered in a form, an import or the API. `value` is a key or, from
 * older clients and spreadsheets, a text; `other` is the "specify" text given with `other`.
 * A text that names a known value is stored as its key; any other text as `other` with the text.
 */
export function resolveVocabularyValue<V extends Vocabulary>(
	vocabulary: V,
	value: string | null | undefined,
	other?: string | null
): VocabularyValue<V> {
	const given = value?.trim() || null;
	const typed = other?.trim() || null;
	if (given && given !== 'other' && isKeyOf(vocabulary, given)) return { key: given, other: null };
	const text = given && given !== 'other' ? given : typed;
	const otherKey = 'other' as VocabularyKey<V>;
	if (!text) return { key: given === 'other' ? otherKey : null, other: null };
	if (EXACT[vocabulary].get(foldVocabularyText(text)) === 'other') return { key: otherKey, other: null };
	const key = keyOfText(vocabulary, text);
	if (key) return { key, other: null };
	return { key: otherKey, other: text };
}

/** A person's status and sector as entered (keys, or texts for `other`). */
export type PersonVocabularyInput = {
	status?: string | null;
	statusOther?: string | null;
	sector?: string | null;
	sectorOther?: string | null;
};

/** The columns to store for a person's status and sector (see resolveVocabularyValue). */
export function personVocabularyValues(input: PersonVocabularyInput): {
	status: PersonStatus | null;
	statusOther: string | null;
	sector: PersonSector | null;
	sectorOther: string | null;
} {
	const status = resolveVocabularyValue('status', input.status, input.statusOther);
	const sector = resolveVocabularyValue('sector', input.sector, input.sectorOther);
	return { status: status.key, statusOther: status.other, sector: sector.key, sectorOther: sector.other };
}
