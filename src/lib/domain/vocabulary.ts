/*
 * The vocabularies of a household member's professional status and business sector: the keys
 * stored in `persons.status` and `persons.sector` (db/schema/cases.ts re-exports them), offered by
 * the forms of the portal and the back office, labelled by the catalogues (`case_status_<key>`,
 * `case_sector_<key>`). Pure data: imported by server and browser code alike.
 */

export const PERSON_STATUSES = [
	'freelancer',
	'employee_teleworking',
	'founder',
	'business_buyer',
	'artist',
	'other'
] as const;
/** Professional status of a person of the household. */
export type PersonStatus = (typeof PERSON_STATUSES)[number];

/**
 * The programme's vocabulary of business sectors (what SOHO Solo counts: communication,
 * consulting, digital, IT and e-commerce, training, crafts, arts…). `other` keeps the typed
 * text beside it (`persons.sector_other`) until an advisor maps it to a sector
 * (domain/vocabulary). Words people write for each are in `vocabulary.rules.ts`.
 */
export const PERSON_SECTORS = [
	'digital',
	'it',
	'communication',
	'consulting',
	'training',
	'crafts',
	'commerce',
	'health',
	'arts',
	'agriculture',
	'construction',
	'tourism',
	'personal_services',
	'other'
] as const;
/** Business sector of a person of the household. */
export type PersonSector = (typeof PERSON_SECTORS)[number];

/**
 * Where a household comes from (`persons.origin_area`): the 13 regions of metropolitan France
 * (INSEE region codes in comments), the overseas départements and regions (DROM), abroad (the
 * country is in `persons.origin_country`) and `other`, which keeps the typed text beside it
 * (`persons.origin_area_other`) until an advisor maps it (domain/vocabulary). Labelled
 * `case_origin_<key>`; département names and numbers, cities and countries people write are read
 * by `vocabulary.rules.ts`.
 */
export const ORIGIN_AREAS = [
	'ile_de_france', // 11
	'centre_val_de_loire', // 24
	'bourgogne_franche_comte', // 27
	'normandie', // 28
	'hauts_de_france', // 32
	'grand_est', // 44
	'pays_de_la_loire', // 52
	'bretagne', // 53
	'nouvelle_aquitaine', // 75
	'occitanie', // 76
	'auvergne_rhone_alpes', // 84
	'provence_alpes_cote_d_azur', // 93
	'corse', // 94
	'overseas',
	'abroad',
	'other'
] as const;
/** Region (or overseas, abroad, other) a person of the household comes from. */
export type OriginArea = (typeof ORIGIN_AREAS)[number];
