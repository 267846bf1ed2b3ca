/** The figures and word lists the demo history is drawn from (see CASE_DEMO_SEED): published facts and invented names. */
import type {
	CaseSource,
	CaseTimeline,
	OriginArea,
	PersonSector,
	PersonStatus,
	YesNoUnsure
} from '../../db/schema/index.ts';

/**
 * A synthetic history of the demo programme, shaped by the published facts on SOHO Solo
 * (shared/research/programme.md): installations of 19, 32 and 41 households in 2008–2010,
 * then fewer each year (11 in 2017); households of about 2.4 people; mostly communication,
 * consulting and digital freelancers; ~20 % from Northern Europe; leads that never came;
 * a few departures and closed businesses. Every name is invented and flagged is_demo.
 * Generated from a fixed seed, so every run gives the same demo.
 */
export const CASE_DEMO_SEED = 32_2008;

/** Installations per year: the published 19, 32, 41, then a slow decline (11 in 2017). */
export const DEMO_INSTALLATIONS_PER_YEAR: Readonly<Record<number, number>> = {
	2008: 19,
	2009: 32,
	2010: 41,
	2011: 38,
	2012: 34,
	2013: 30,
	2014: 26,
	2015: 21,
	2016: 16,
	2017: 11,
	2018: 9,
	2019: 8,
	2020: 7,
	2021: 9,
	2022: 7,
	2023: 6,
	2024: 5,
	2025: 4
};

/** Open cases in the current stages, with recent timelines and tasks. */
export const DEMO_OPEN_CASES: Readonly<Record<string, number>> = {
	contact: 4,
	qualified: 4,
	discovery_visit: 3,
	installing: 4
};

export type Origin = {
	country: string;
	/** A key of the origins' vocabulary: households from abroad are `abroad` with their country. */
	area: OriginArea;
	languages: string[];
	names: 'fr' | 'nl' | 'en' | 'de' | 'da';
};
/** Mostly Île-de-France and Toulouse (Occitanie), then other regions; ~20 % from northern Europe. */
export const ORIGINS: (readonly [Origin, number])[] = [
	[{ country: 'FR', area: 'ile_de_france', languages: ['fr'], names: 'fr' }, 40],
	[{ country: 'FR', area: 'occitanie', languages: ['fr'], names: 'fr' }, 20],
	[{ country: 'FR', area: 'nouvelle_aquitaine', languages: ['fr'], names: 'fr' }, 7],
	[{ country: 'FR', area: 'auvergne_rhone_alpes', languages: ['fr'], names: 'fr' }, 5],
	[{ country: 'FR', area: 'hauts_de_france', languages: ['fr'], names: 'fr' }, 4],
	[{ country: 'FR', area: 'provence_alpes_cote_d_azur', languages: ['fr'], names: 'fr' }, 4],
	[{ country: 'NL', area: 'abroad', languages: ['nl', 'en'], names: 'nl' }, 6],
	[{ country: 'BE', area: 'abroad', languages: ['nl', 'fr'], names: 'nl' }, 4],
	[{ country: 'GB', area: 'abroad', languages: ['en'], names: 'en' }, 5],
	[{ country: 'DE', area: 'abroad', languages: ['de', 'en'], names: 'de' }, 3],
	[{ country: 'DK', area: 'abroad', languages: ['da', 'en'], names: 'da' }, 2]
];

/**
 * Words household members typed as "other" (synthetic), so that the vocabularies page has texts
 * to map: given to partners of French households (the observatory reads candidates only, so
 * no figure of the demo moves) and to persons whose status was already "other". Two spellings
 * of one text show that accents and case are folded together.
 */
export const DEMO_OTHER_TEXTS = {
	sector: ['Œnotourisme', 'oenotourisme', 'Lutherie', 'Brasserie artisanale'],
	status: ['Retraité·e', 'Étudiant·e', 'Congé parental'],
	origin: ['Polynésie', 'polynésie', 'Nouvelle-Calédonie', 'Saint-Pierre-et-Miquelon']
} as const;

export const FIRST_NAMES: Record<Origin['names'], string[]> = {
	fr: [
		'Camille',
		'Julien',
		'Claire',
		'Nicolas',
		'Sophie',
		'Thomas',
		'Élodie',
		'Mathieu',
		'Aurélie',
		'Sébastien',
		'Hélène',
		'Romain',
		'Céline',
		'Olivier',
		'Laure',
		'François',
		'Manon',
		'Antoine',
		'Juliette',
		'Benoît',
		'Inès',
		'Rémi',
		'Agnès',
		'Lucas'
	],
	nl: ['Sanne', 'Joris', 'Femke', 'Pieter', 'Lotte', 'Bram', 'Eline', 'Wouter', 'Anouk', 'Stijn'],
	en: ['Emma', 'James', 'Olivia', 'Oliver', 'Charlotte', 'Harry', 'Amelia', 'George'],
	de: ['Anna', 'Jonas', 'Lena', 'Felix', 'Katrin', 'Tobias'],
	da: ['Freja', 'Mads', 'Ida', 'Rasmus']
};
export const LAST_NAMES: Record<Origin['names'], string[]> = {
	fr: [
		'Lefèvre',
		'Garnier',
		'Roussel',
		'Caumont',
		'Delmas',
		'Castéra',
		'Mercier',
		'Fabre',
		'Laborde',
		'Brunet',
		'Dumas',
		'Barthe',
		'Lacaze',
		'Perrin',
		'Marchand',
		'Duclos',
		'Sarrade',
		'Vidal',
		'Noguès',
		'Chevalier',
		'Bonnafous',
		'Étienne'
	],
	nl: ['de Vries', 'Jansen', 'Bakker', 'Visser', 'Smit', 'Peeters', 'Maes', 'Willems'],
	en: ['Taylor', 'Hughes', 'Bennett', 'Clarke', 'Walsh', 'Foster'],
	de: ['Becker', 'Hoffmann', 'Schäfer', 'Krüger'],
	da: ['Nielsen', 'Jensen', 'Søndergaard']
};

export type Sector = { key: PersonSector; pcs: string; professions: string[] };
/** ~70 % communication, consulting, digital; >16 % IT; then training, crafts, arts. */
export const SECTORS: (readonly [Sector, number])[] = [
	[
		{
			key: 'communication',
			pcs: '37',
			professions: ['Graphiste', 'Chargé·e de communication', 'Rédacteur·rice', 'Photographe']
		},
		24
	],
	[
		{
			key: 'consulting',
			pcs: '37',
			professions: ['Consultant·e en stratégie', 'Consultant·e RH', 'Coach professionnel·le', 'Auditeur·rice']
		},
		24
	],
	[
		{
			key: 'digital',
			pcs: '38',
			professions: ['Développeur·se web', 'Webdesigner', 'Chef·fe de projet numérique', 'Traducteur·rice']
		},
		20
	],
	[
		{
			key: 'it',
			pcs: '38',
			professions: ['Ingénieur·e logiciel', 'Administrateur·rice systèmes', 'E-commerçant·e']
		},
		16
	],
	[{ key: 'training', pcs: '34', professions: ['Formateur·rice', 'Formateur·rice en langues'] }, 7],
	[{ key: 'crafts', pcs: '21', professions: ['Ébéniste', 'Céramiste', 'Tapissier·ère'] }, 5],
	[{ key: 'arts', pcs: '35', professions: ['Illustrateur·rice', 'Musicien·ne', 'Comédien·ne'] }, 4]
];

export const STATUSES: (readonly [PersonStatus, number])[] = [
	['freelancer', 55],
	['employee_teleworking', 15],
	['founder', 14],
	['business_buyer', 7],
	['artist', 6],
	['other', 3]
];
export const SOURCES_EARLY: (readonly [CaseSource, number])[] = [
	['phone', 35],
	['web_form', 25],
	['fair', 15],
	['press', 15],
	['referral', 10]
];
export const SOURCES_LATE: (readonly [CaseSource, number])[] = [
	['web_form', 45],
	['phone', 20],
	['referral', 15],
	['fair', 8],
	['press', 7],
	['event', 5]
];
export const TIMELINES: (readonly [CaseTimeline, number])[] = [
	['within_6_months', 25],
	['6_to_12_months', 40],
	['over_12_months', 20],
	['undecided', 15]
];
export const WOULD_MOVE: (readonly [YesNoUnsure, number])[] = [
	['yes', 25],
	['no', 35],
	['unsure', 40]
];
/** Household sizes averaging ~2.4 people. */
export const HOUSEHOLD_SIZES: (readonly [number, number])[] = [
	[1, 28],
	[2, 32],
	[3, 18],
	[4, 16],
	[5, 6]
];
export const ABANDON_REASONS = [
	'Projet reporté pour raisons familiales',
	'A trouvé un poste salarié en ville',
	'Conjoint·e sans perspective d’emploi sur place',
	'Pas de logement adapté au budget',
	'Connexion internet insuffisante dans les communes visées',
	'S’est installé·e dans un autre département',
	'Plus de nouvelles après le premier contact',
	'Projet professionnel pas encore mûr'
];
export const LEFT_REASONS = [
	'Isolement, retour vers une grande ville',
	'Emploi du ou de la conjoint·e ailleurs',
	'Séparation',
	'Raisons familiales (parents âgés)',
	'Activité insuffisante après deux ans',
	'Scolarité des enfants (lycée)'
];
export const NOTES = [
	'Projet solide, clientèle déjà constituée à distance.',
	'Cherche une maison avec un bureau et une bonne connexion.',
	'Intéressé·e par le télécentre pour rencontrer des clients.',
	'Conjoint·e à orienter vers le service de l’emploi.',
	'Souhaite une école primaire à moins de 10 minutes.',
	'Budget serré : privilégier la location.'
];
export const OPEN_TASKS = [
	'Rappeler pour qualifier le projet',
	'Envoyer la liste des villages partenaires',
	'Organiser le séjour découverte',
	'Mettre en relation avec le comité d’accueil',
	'Vérifier la connexion des logements proposés',
	'Faire le point sur le financement'
];
