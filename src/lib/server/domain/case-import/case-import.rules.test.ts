import { expect, test } from 'vitest';
import { DEFAULT_PIPELINE } from '../case/case.rules.ts';
import {
	autoMapping,
	isValidSiret,
	parseImportDate,
	sourceOf,
	stageHistory,
	statusOf,
	type ImportRecord
} from './case-import.rules.ts';
import { sampleSiret } from './case-import.sample.ts';

test('French and English headers map to the import fields, each field once', () => {
	expect(
		autoMapping([
			'Prénom',
			'NOM',
			'Courriel',
			'E-mail',
			'Téléphone',
			'Date de contact',
			"Commune d'installation (code INSEE)",
			'SIRET',
			'Taille du foyer',
			'Remarques'
		])
	).toEqual([
		'first_name',
		'last_name',
		'email',
		null,
		'phone',
		'contact_date',
		'installed_commune',
		'business_siret',
		'household_size',
		null
	]);
});

test('dates are read in ISO or French form and must exist', () => {
	expect(parseImportDate('2024-03-01')).toBe('2024-03-01');
	expect(parseImportDate('2024-03-01T00:00:00Z')).toBe('2024-03-01');
	expect(parseImportDate('1/3/2024')).toBe('2024-03-01');
	expect(parseImportDate('29/02/2023')).toBeNull();
	expect(parseImportDate('03/01/24')).toBeNull();
});

test('a SIRET has 14 digits and a valid check digit', () => {
	expect(isValidSiret(sampleSiret(42))).toBe(true);
	expect(isValidSiret('12345678901234')).toBe(false);
	expect(isValidSiret('1234')).toBe(false);
	expect(isValidSiret('35600000000010')).toBe(true); // La Poste: sum of digits divisible by 5
});

test('common French words are understood as sources and statuses', () => {
	expect(sourceOf('Salon')).toBe('fair');
	expect(sourceOf('téléphone')).toBe('phone');
	expect(sourceOf('Bouche à oreille')).toBe('referral');
	expect(sourceOf('pigeon')).toBeNull();
	expect(statusOf('Indépendant·e')).toEqual({ status: 'freelancer', statusOther: null });
	expect(statusOf('salarié en télétravail')).toEqual({ status: 'employee_teleworking', statusOther: null });
	// A status of no known kind is kept as "other" with its words, for an advisor to map.
	expect(statusOf('retraité')).toEqual({ status: 'other', statusOther: 'retraité' });
	expect(statusOf('')).toEqual({ status: null, statusOther: null });
});

test('the stage history follows the row’s dates up to its stage', () => {
	const record = {
		stage: 'left_territory',
		contactDate: '2020-01-01',
		qualifiedDate: '2020-02-01',
		installedDate: '2020-06-01',
		leftDate: '2022-01-01',
		leftReason: 'mutation'
	} as ImportRecord;
	expect(stageHistory(record, DEFAULT_PIPELINE)).toEqual([
		{ fromStage: null, toStage: 'contact', on: '2020-01-01', reason: null },
		{ fromStage: 'contact', toStage: 'qualified', on: '2020-02-01', reason: null },
		{ fromStage: 'qualified', toStage: 'installed', on: '2020-06-01', reason: null },
		{ fromStage: 'installed', toStage: 'left_territory', on: '2022-01-01', reason: 'mutation' }
	]);
	const integrated = { ...record, stage: 'integrated', leftDate: null, leftReason: null };
	expect(stageHistory(integrated, DEFAULT_PIPELINE).map((step) => [step.toStage, step.on])).toEqual([
		['contact', '2020-01-01'],
		['qualified', '2020-02-01'],
		['installed', '2020-06-01'],
		['integrated', '2020-06-01']
	]);
});
