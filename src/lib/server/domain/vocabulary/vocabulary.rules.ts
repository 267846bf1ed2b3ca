import {
	ORIGIN_AREAS,
	PERSON_SECTORS,
	PERSON_STATUSES,
	type OriginArea,
	type PersonSector,
	type PersonStatus
} from '../../db/schema/index.ts';
import { foldForSearch } from '../../../domain/search.ts';
import { translate, type Locale } from '../../../i18n/index.ts';

/**
 * Controlled vocabularies of a person's profile (sector, professional status, origin). A value is
 * a key of the list; `other` keeps the text as typed beside it (`sector_other`, `status_other`,
 * `origin_area_other`) until an advisor maps that text to a key, so free text never splits a
 * category of the observatory.
 */
export const VOCABULARIES = ['sector', 'status', 'origin'] as const;
export type Vocabulary = (typeof VOCABULARIES)[number];

export const VOCABULARY_KEYS = {
	sector: PERSON_SECTORS,
	status: PERSON_STATUSES,
	origin: ORIGIN_AREAS
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

/* ------------------------------------------------------------------ origin */

/**
 * The départements of France with the region they belong to (official geographic code, COG 2024,
 * as shipped by @etalab/decoupage-administratif); the five overseas départements are `overseas`.
 * Their names and numbers ("Haute-Garonne", "31", a postcode "31000") name the region.
 */
export const DEPARTEMENTS: readonly (readonly [code: string, name: string, area: OriginArea])[] = [
	['01', 'Ain', 'auvergne_rhone_alpes'],
	['02', 'Aisne', 'hauts_de_france'],
	['03', 'Allier', 'auvergne_rhone_alpes'],
	['04', 'Alpes-de-Haute-Provence', 'provence_alpes_cote_d_azur'],
	['05', 'Hautes-Alpes', 'provence_alpes_cote_d_azur'],
	['06', 'Alpes-Maritimes', 'provence_alpes_cote_d_azur'],
	['07', 'Ardèche', 'auvergne_rhone_alpes'],
	['08', 'Ardennes', 'grand_est'],
	['09', 'Ariège', 'occitanie'],
	['10', 'Aube', 'grand_est'],
	['11', 'Aude', 'occitanie'],
	['12', 'Aveyron', 'occitanie'],
	['13', 'Bouches-du-Rhône', 'provence_alpes_cote_d_azur'],
	['14', 'Calvados', 'normandie'],
	['15', 'Cantal', 'auvergne_rhone_alpes'],
	['16', 'Charente', 'nouvelle_aquitaine'],
	['17', 'Charente-Maritime', 'nouvelle_aquitaine'],
	['18', 'Cher', 'centre_val_de_loire'],
	['19', 'Corrèze', 'nouvelle_aquitaine'],
	['21', "Côte-d'Or", 'bourgogne_franche_comte'],
	['22', "Côtes-d'Armor", 'bretagne'],
	['23', 'Creuse', 'nouvelle_aquitaine'],
	['24', 'Dordogne', 'nouvelle_aquitaine'],
	['25', 'Doubs', 'bourgogne_franche_comte'],
	['26', 'Drôme', 'auvergne_rhone_alpes'],
	['27', 'Eure', 'normandie'],
	['28', 'Eure-et-Loir', 'centre_val_de_loire'],
	['29', 'Finistère', 'bretagne'],
	['2A', 'Corse-du-Sud', 'corse'],
	['2B', 'Haute-Corse', 'corse'],
	['30', 'Gard', 'occitanie'],
	['31', 'Haute-Garonne', 'occitanie'],
	['32', 'Gers', 'occitanie'],
	['33', 'Gironde', 'nouvelle_aquitaine'],
	['34', 'Hérault', 'occitanie'],
	['35', 'Ille-et-Vilaine', 'bretagne'],
	['36', 'Indre', 'centre_val_de_loire'],
	['37', 'Indre-et-Loire', 'centre_val_de_loire'],
	['38', 'Isère', 'auvergne_rhone_alpes'],
	['39', 'Jura', 'bourgogne_franche_comte'],
	['40', 'Landes', 'nouvelle_aquitaine'],
	['41', 'Loir-et-Cher', 'centre_val_de_loire'],
	['42', 'Loire', 'auvergne_rhone_alpes'],
	['43', 'Haute-Loire', 'auvergne_rhone_alpes'],
	['44', 'Loire-Atlantique', 'pays_de_la_loire'],
	['45', 'Loiret', 'centre_val_de_loire'],
	['46', 'Lot', 'occitanie'],
	['47', 'Lot-et-Garonne', 'nouvelle_aquitaine'],
	['48', 'Lozère', 'occitanie'],
	['49', 'Maine-et-Loire', 'pays_de_la_loire'],
	['50', 'Manche', 'normandie'],
	['51', 'Marne', 'grand_est'],
	['52', 'Haute-Marne', 'grand_est'],
	['53', 'Mayenne', 'pays_de_la_loire'],
	['54', 'Meurthe-et-Moselle', 'grand_est'],
	['55', 'Meuse', 'grand_est'],
	['56', 'Morbihan', 'bretagne'],
	['57', 'Moselle', 'grand_est'],
	['58', 'Nièvre', 'bourgogne_franche_comte'],
	['59', 'Nord', 'hauts_de_france'],
	['60', 'Oise', 'hauts_de_france'],
	['61', 'Orne', 'normandie'],
	['62', 'Pas-de-Calais', 'hauts_de_france'],
	['63', 'Puy-de-Dôme', 'auvergne_rhone_alpes'],
	['64', 'Pyrénées-Atlantiques', 'nouvelle_aquitaine'],
	['65', 'Hautes-Pyrénées', 'occitanie'],
	['66', 'Pyrénées-Orientales', 'occitanie'],
	['67', 'Bas-Rhin', 'grand_est'],
	['68', 'Haut-Rhin', 'grand_est'],
	['69', 'Rhône', 'auvergne_rhone_alpes'],
	['70', 'Haute-Saône', 'bourgogne_franche_comte'],
	['71', 'Saône-et-Loire', 'bourgogne_franche_comte'],
	['72', 'Sarthe', 'pays_de_la_loire'],
	['73', 'Savoie', 'auvergne_rhone_alpes'],
	['74', 'Haute-Savoie', 'auvergne_rhone_alpes'],
	['75', 'Paris', 'ile_de_france'],
	['76', 'Seine-Maritime', 'normandie'],
	['77', 'Seine-et-Marne', 'ile_de_france'],
	['78', 'Yvelines', 'ile_de_france'],
	['79', 'Deux-Sèvres', 'nouvelle_aquitaine'],
	['80', 'Somme', 'hauts_de_france'],
	['81', 'Tarn', 'occitanie'],
	['82', 'Tarn-et-Garonne', 'occitanie'],
	['83', 'Var', 'provence_alpes_cote_d_azur'],
	['84', 'Vaucluse', 'provence_alpes_cote_d_azur'],
	['85', 'Vendée', 'pays_de_la_loire'],
	['86', 'Vienne', 'nouvelle_aquitaine'],
	['87', 'Haute-Vienne', 'nouvelle_aquitaine'],
	['88', 'Vosges', 'grand_est'],
	['89', 'Yonne', 'bourgogne_franche_comte'],
	['90', 'Territoire de Belfort', 'bourgogne_franche_comte'],
	['91', 'Essonne', 'ile_de_france'],
	['92', 'Hauts-de-Seine', 'ile_de_france'],
	['93', 'Seine-Saint-Denis', 'ile_de_france'],
	['94', 'Val-de-Marne', 'ile_de_france'],
	['95', "Val-d'Oise", 'ile_de_france'],
	['971', 'Guadeloupe', 'overseas'],
	['972', 'Martinique', 'overseas'],
	['973', 'Guyane', 'overseas'],
	['974', 'La Réunion', 'overseas'],
	['976', 'Mayotte', 'overseas']
];

/** Names of the regions people write, old regions (before 2016) included, folded. */
const REGION_WORDS: Record<Exclude<OriginArea, 'abroad' | 'other'>, readonly string[]> = {
	ile_de_france: ['ile de france', 'idf', 'region parisienne', 'banlieue parisienne', 'paris region'],
	centre_val_de_loire: ['centre val de loire', 'region centre', 'centre'],
	bourgogne_franche_comte: ['bourgogne franche comte', 'bourgogne', 'franche comte', 'burgundy'],
	normandie: ['normandie', 'basse normandie', 'haute normandie', 'normandy'],
	hauts_de_france: ['hauts de france', 'nord pas de calais', 'picardie', 'picardy'],
	grand_est: [
		'grand est',
		'alsace',
		'lorraine',
		'champagne ardenne',
		'champagne',
		'alsace champagne ardenne lorraine'
	],
	pays_de_la_loire: ['pays de la loire'],
	bretagne: ['bretagne', 'brittany'],
	nouvelle_aquitaine: [
		'nouvelle aquitaine',
		'aquitaine',
		'limousin',
		'poitou charentes',
		'pays basque',
		'bearn'
	],
	occitanie: ['occitanie', 'occitania', 'midi pyrenees', 'languedoc roussillon', 'languedoc'],
	auvergne_rhone_alpes: ['auvergne rhone alpes', 'rhone alpes', 'auvergne', 'ara'],
	provence_alpes_cote_d_azur: [
		'provence alpes cote d azur',
		'paca',
		'provence',
		'cote d azur',
		'french riviera',
		'region sud'
	],
	corse: ['corse', 'corsica', 'ile de beaute'],
	overseas: [
		'dom',
		'drom',
		'departement d outre mer',
		'departements d outre mer',
		'overseas',
		'overseas france',
		'guyane francaise',
		'french guiana',
		'reunion',
		'ile de la reunion'
	]
};

/**
 * Cities people give as their origin, with their region; only names that point to one place
 * ("Vienne" is also a département and a foreign capital, so it is left to an advisor).
 */
const CITY_AREAS: Readonly<Record<string, OriginArea>> = {
	paris: 'ile_de_france',
	lyon: 'auvergne_rhone_alpes',
	grenoble: 'auvergne_rhone_alpes',
	'saint etienne': 'auvergne_rhone_alpes',
	'clermont ferrand': 'auvergne_rhone_alpes',
	annecy: 'auvergne_rhone_alpes',
	chambery: 'auvergne_rhone_alpes',
	marseille: 'provence_alpes_cote_d_azur',
	nice: 'provence_alpes_cote_d_azur',
	toulon: 'provence_alpes_cote_d_azur',
	'aix en provence': 'provence_alpes_cote_d_azur',
	avignon: 'provence_alpes_cote_d_azur',
	toulouse: 'occitanie',
	montpellier: 'occitanie',
	nimes: 'occitanie',
	perpignan: 'occitanie',
	montauban: 'occitanie',
	albi: 'occitanie',
	tarbes: 'occitanie',
	auch: 'occitanie',
	bordeaux: 'nouvelle_aquitaine',
	limoges: 'nouvelle_aquitaine',
	poitiers: 'nouvelle_aquitaine',
	'la rochelle': 'nouvelle_aquitaine',
	pau: 'nouvelle_aquitaine',
	bayonne: 'nouvelle_aquitaine',
	biarritz: 'nouvelle_aquitaine',
	agen: 'nouvelle_aquitaine',
	nantes: 'pays_de_la_loire',
	angers: 'pays_de_la_loire',
	'le mans': 'pays_de_la_loire',
	rennes: 'bretagne',
	brest: 'bretagne',
	lorient: 'bretagne',
	strasbourg: 'grand_est',
	reims: 'grand_est',
	metz: 'grand_est',
	nancy: 'grand_est',
	mulhouse: 'grand_est',
	lille: 'hauts_de_france',
	amiens: 'hauts_de_france',
	dijon: 'bourgogne_franche_comte',
	besancon: 'bourgogne_franche_comte',
	orleans: 'centre_val_de_loire',
	tours: 'centre_val_de_loire',
	rouen: 'normandie',
	caen: 'normandie',
	'le havre': 'normandie',
	ajaccio: 'corse',
	bastia: 'corse'
};

/**
 * Names that point to several places, left to an advisor: Vienne (a département, a city of Isère,
 * Austria's capital), Maurice (Mauritius, and many French places "Saint-Maurice").
 */
const AMBIGUOUS_PLACE_NAMES = ['vienne', 'maurice'];

/** Words that say "not in France", without a country. */
const ABROAD_WORDS = [
	'etranger',
	'a l etranger',
	'abroad',
	'hors de france',
	'international',
	'outside france'
];

/** Words that say France without a region: the country is FR, the area stays unknown. */
const FRANCE_WORDS = [
	'france',
	'fr',
	'france metropolitaine',
	'metropole',
	'hexagone',
	'metropolitan france'
];

/** Overseas départements and regions (DROM) as ISO 3166 codes: overseas, not abroad. */
const DROM_COUNTRY_CODES = ['GP', 'MQ', 'GF', 'RE', 'YT'];
/**
 * Codes that are not countries abroad: France, its overseas collectivities (COM: French
 * Polynesia, New Caledonia…, left to an advisor) and codes of no country (EU, UN…).
 */
const NOT_ABROAD_CODES = new Set([
	'FR',
	'FX',
	...DROM_COUNTRY_CODES,
	...['PF', 'NC', 'PM', 'BL', 'MF', 'WF', 'TF', 'CP'],
	...['EU', 'EZ', 'UN', 'QO', 'XA', 'XB', 'ZZ', 'AC', 'DG', 'EA', 'IC', 'TA', 'CQ']
]);

/** Usual names of countries beyond their French and English names (folded) → ISO 3166 code. */
const COUNTRY_SYNONYMS: Readonly<Record<string, string>> = {
	uk: 'GB',
	'grande bretagne': 'GB',
	'great britain': 'GB',
	britain: 'GB',
	angleterre: 'GB',
	england: 'GB',
	ecosse: 'GB',
	scotland: 'GB',
	'pays de galles': 'GB',
	wales: 'GB',
	'irlande du nord': 'GB',
	'northern ireland': 'GB',
	londres: 'GB',
	london: 'GB',
	usa: 'US',
	'etats unis d amerique': 'US',
	'united states of america': 'US',
	hollande: 'NL',
	holland: 'NL',
	'the netherlands': 'NL',
	'ile maurice': 'MU',
	amsterdam: 'NL',
	flandre: 'BE',
	flandres: 'BE',
	vlaanderen: 'BE',
	wallonie: 'BE',
	bruxelles: 'BE',
	brussels: 'BE',
	quebec: 'CA',
	berlin: 'DE'
};

/** Folded country names (French and English, from the runtime's CLDR data, and synonyms) → code. */
const COUNTRY_NAMES: ReadonlyMap<string, string> = (() => {
	const names = new Map<string, string>();
	const displays = (['fr', 'en'] as const).map(
		(locale) => new Intl.DisplayNames([locale], { type: 'region', fallback: 'none' })
	);
	for (let a = 65; a <= 90; a++) {
		for (let b = 65; b <= 90; b++) {
			const code = String.fromCharCode(a, b);
			// Former codes (UK, YU, FX…) are aliases of current ones: counted under those.
			if (NOT_ABROAD_CODES.has(code) || Intl.getCanonicalLocales(`und-${code}`)[0] !== `und-${code}`)
				continue;
			for (const display of displays) {
				const name = display.of(code);
				if (name && name !== code) names.set(foldVocabularyText(name), code);
			}
		}
	}
	for (const word of AMBIGUOUS_PLACE_NAMES) names.delete(word);
	for (const [word, code] of Object.entries(COUNTRY_SYNONYMS)) names.set(word, code);
	return names;
})();

/** Folded names of the overseas départements in French and English (CLDR) and as the COG writes them. */
const DROM_NAMES: readonly string[] = [
	...DROM_COUNTRY_CODES.flatMap((code) =>
		(['fr', 'en'] as const).map((locale) =>
			foldVocabularyText(new Intl.DisplayNames([locale], { type: 'region' }).of(code) ?? '')
		)
	)
].filter(Boolean);

/**
 * Words people write for each origin (French and English), folded: regions (old ones too),
 * départements, cities, overseas, and countries for `abroad`.
 */
export const ORIGIN_WORDS: Record<Exclude<OriginArea, 'other'>, readonly string[]> = (() => {
	const words = Object.fromEntries(
		ORIGIN_AREAS.filter((key) => key !== 'other').map((key) => [key, [] as string[]])
	) as Record<Exclude<OriginArea, 'other'>, string[]>;
	for (const [key, list] of Object.entries(REGION_WORDS))
		words[key as keyof typeof REGION_WORDS].push(...list);
	for (const [, name, area] of DEPARTEMENTS) {
		const folded = foldVocabularyText(name);
		if (!AMBIGUOUS_PLACE_NAMES.includes(folded)) words[area as keyof typeof words].push(folded);
	}
	for (const [city, area] of Object.entries(CITY_AREAS)) words[area as keyof typeof words].push(city);
	words.overseas.push(...DROM_NAMES);
	words.abroad.push(...ABROAD_WORDS, ...COUNTRY_NAMES.keys());
	return words;
})();

/**
 * Texts that name an origin only when they are the whole text: département numbers ("32",
 * "2A", "971"), ISO country codes ("BE", "UK") and words too common inside other texts
 * ("centre", "ara"). Inside a longer text a postcode names its département instead.
 */
const ORIGIN_EXACT_ONLY: ReadonlyMap<string, OriginArea> = (() => {
	const exact = new Map<string, OriginArea>();
	for (const [code, , area] of DEPARTEMENTS) {
		exact.set(code.toLowerCase(), area);
		if (code.startsWith('0')) exact.set(code.slice(1), area);
	}
	exact.set('20', 'corse');
	for (const code of DROM_COUNTRY_CODES) exact.set(code.toLowerCase(), 'overseas');
	for (const code of COUNTRY_NAMES.values()) exact.set(code.toLowerCase(), 'abroad');
	exact.set('uk', 'abroad');
	for (const word of ['centre', 'ara', 'dom', 'drom']) {
		const area = Object.entries(REGION_WORDS).find(([, list]) => list.includes(word))?.[0];
		if (area) exact.set(word, area as OriginArea);
	}
	return exact;
})();

const DEPARTEMENT_AREAS = new Map(DEPARTEMENTS.map(([code, , area]) => [code, area]));

/** The département of a French postcode ("31000" → 31, "20090" → Corsica, "97400" → 974). */
function areaOfPostcode(postcode: string): OriginArea | null {
	if (postcode.startsWith('97')) return DEPARTEMENT_AREAS.get(postcode.slice(0, 3)) ?? null;
	if (postcode.startsWith('20')) return 'corse';
	return DEPARTEMENT_AREAS.get(postcode.slice(0, 2)) ?? null;
}

/** ISO 3166 codes of the countries abroad. */
const ABROAD_CODES: ReadonlySet<string> = new Set(COUNTRY_NAMES.values());

/** The country a text names when it names one country abroad ("Belgique" → BE, "UK" → GB). */
export function countryOfOriginText(text: string): string | null {
	const folded = foldVocabularyText(text);
	if (!folded) return null;
	if (/^[a-z]{2}$/.test(folded)) {
		const code = folded === 'uk' ? 'GB' : folded.toUpperCase();
		return ABROAD_CODES.has(code) ? code : null;
	}
	const exact = COUNTRY_NAMES.get(folded);
	if (exact) return exact;
	// Longest names first, each removed once found: "Irlande du Nord" is not also "Irlande".
	let rest = ` ${folded} `;
	const found = new Set<string>();
	for (const [name, code] of COUNTRY_WORDS_BY_LENGTH) {
		if (!rest.includes(` ${name} `)) continue;
		found.add(code);
		rest = rest.split(` ${name} `).join(' | ');
	}
	return found.size === 1 ? [...found][0] : null;
}

const COUNTRY_WORDS_BY_LENGTH = [...COUNTRY_NAMES]
	.filter(([name]) => name.length > 2)
	.sort((a, b) => b[0].length - a[0].length);

const WORDS: { [V in Vocabulary]: Record<string, readonly string[]> } = {
	sector: SECTOR_WORDS,
	status: STATUS_WORDS,
	origin: ORIGIN_WORDS
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
	if (vocabulary === 'origin') for (const [word, key] of ORIGIN_EXACT_ONLY) lookup.set(word, key);
	for (const word of OTHER_WORDS) lookup.set(word, 'other');
	return lookup;
}

/** Folded text → key, for every key, label and usual word of a vocabulary. */
const EXACT: { [V in Vocabulary]: Map<string, string> } = {
	sector: exactLookup('sector'),
	status: exactLookup('status'),
	origin: exactLookup('origin')
};

/** Every whole text (folded) a vocabulary reads as a key: keys, labels, usual words, codes. */
export function vocabularyExactTexts(vocabulary: Vocabulary): [text: string, key: string][] {
	return [...EXACT[vocabulary]];
}

/** Every folded word of a vocabulary with its key, longest first, for matching inside a text. */
export function vocabularyWords(vocabulary: Vocabulary): { word: string; key: string }[] {
	return WORDS_BY_LENGTH[vocabulary];
}

const byLength = (vocabulary: Vocabulary) =>
	[...EXACT[vocabulary]]
		.filter(([word]) => vocabulary !== 'origin' || !ORIGIN_EXACT_ONLY.has(word))
		.map(([word, key]) => ({ word, key }))
		.sort((a, b) => b.word.length - a.word.length);
const WORDS_BY_LENGTH: { [V in Vocabulary]: { word: string; key: string }[] } = {
	sector: byLength('sector'),
	status: byLength('status'),
	origin: byLength('origin')
};

/**
 * The key a typed text stands for: the key itself, a label or a usual word ("Numérique",
 * "informatique", "BTP"), accent- and case-insensitive; otherwise a text that contains usual
 * words of one key only ("conseil en stratégie"). Origins also read département names and numbers,
 * postcodes, cities and countries ("Haute-Garonne", "75", "Lyon", "Belgique" → abroad). Null
 * when no key or several keys match: the
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
	if (vocabulary === 'origin') {
		// A French postcode names its département ("Lyon 69003").
		for (const token of folded.split(' ')) {
			const area = /^\d{5}$/.test(token) ? areaOfPostcode(token) : null;
			if (area) found.add(area);
		}
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

/** A person's origin as entered: a country code, and an area (a key, or a text) with the text of `other`. */
export type OriginInput = {
	originCountry?: string | null;
	originArea?: string | null;
	originAreaOther?: string | null;
};

/**
 * The columns to store for a person's origin. The area is read as resolveVocabularyValue does
 * ("Haute-Garonne" → occitanie, "Polynésie" → other with the text); a text naming a country
 * ("Belgique", "UK") is `abroad` and gives the country when none was given; "France" alone gives
 * the country FR and no area. A country other than France makes the area `abroad` (a region
 * abroad is not kept: the observatory counts households from abroad by country).
 * `originCountry` is undefined when neither the input nor the text gives one (keep what is stored).
 */
export function originValues(input: OriginInput): {
	originCountry: string | null | undefined;
	originArea: OriginArea | null;
	originAreaOther: string | null;
} {
	const givenCountry = input.originCountry?.trim().toUpperCase() || null;
	const areaGiven = input.originArea?.trim() || null;
	const typed = input.originAreaOther?.trim() || null;
	const isAreaKey = areaGiven !== null && isKeyOf('origin', areaGiven);
	// The words given: the area when it is a text, else the "specify" text.
	const text = isAreaKey ? (areaGiven === 'other' ? typed : null) : (areaGiven ?? typed);
	const folded = text ? foldVocabularyText(text) : '';
	let country: string | null | undefined = input.originCountry === undefined ? undefined : givenCountry;
	let area: OriginArea | null;
	let other: string | null;
	if (folded && FRANCE_WORDS.includes(folded)) {
		area = null;
		other = null;
		country = givenCountry ?? 'FR';
	} else {
		const value = resolveVocabularyValue('origin', input.originArea, input.originAreaOther);
		area = value.key;
		other = value.other;
		// "Abroad" with the country typed beside it ("Étranger" + "Belgique"), or a country's name.
		const countryText = text ?? (areaGiven === 'abroad' ? typed : null);
		if (area === 'abroad' && !givenCountry && countryText)
			country = countryOfOriginText(countryText) ?? country;
	}
	if (givenCountry && givenCountry !== 'FR') {
		area = 'abroad';
		other = null;
	} else if (area === 'abroad' && givenCountry === 'FR') {
		country = null;
	}
	return { originCountry: country, originArea: area, originAreaOther: other };
}

/**
 * A person's origin in words, in the locale: the region's label, the country's name for
 * `abroad` (or the country alone), the typed text for `other`; empty when unknown. Read back by
 * originValues as the same origin, so an exported file re-imports as it was.
 */
export function originLabel(
	locale: Locale,
	person: { originCountry?: string | null; originArea?: string | null; originAreaOther?: string | null }
): string {
	const country = person.originCountry?.trim().toUpperCase() || null;
	const countryName = (code: string) => {
		try {
			return new Intl.DisplayNames([locale], { type: 'region', fallback: 'none' }).of(code) ?? code;
		} catch {
			return code;
		}
	};
	const area = person.originArea;
	if (area === 'other' && person.originAreaOther) return person.originAreaOther;
	if (country && country !== 'FR' && (!area || area === 'abroad')) return countryName(country);
	if (area && isKeyOf('origin', area)) return translate(locale, vocabularyLabelKey('origin', area));
	if (area) return area;
	return country ? countryName(country) : '';
}
