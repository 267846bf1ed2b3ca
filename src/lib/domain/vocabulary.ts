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
