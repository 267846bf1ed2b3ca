/*
 * Communes of the other programmes' départements in the national portal's tests (the test territory,
 * insertTestCommunes, holds Gers communes only): Cahors (Lot), Guéret (Creuse), Laval (Mayenne).
 */
export const CAHORS = {
	code: '46042',
	name: 'Cahors',
	departementCode: '46',
	population: 19405,
	centroidLat: 44.45,
	centroidLon: 1.44
};
export const GUERET = {
	code: '23096',
	name: 'Guéret',
	departementCode: '23',
	population: 12879,
	centroidLat: 46.17,
	centroidLon: 1.87
};
export const LAVAL = {
	code: '53130',
	name: 'Laval',
	departementCode: '53',
	population: 49728,
	centroidLat: 48.07,
	centroidLon: -0.77
};
