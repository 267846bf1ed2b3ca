import { describe, expect, test } from 'vitest';
import { resolvePipeline } from '../case/case.rules.ts';
import {
	buildPipelineConfig,
	checkColours,
	contrastRatio,
	isInFrance,
	isLegalFilled,
	publishCount,
	stageKeyOf
} from './programme-settings.rules.ts';

describe('colours keep text readable', () => {
	test('contrast ratios match the WCAG reference values', () => {
		expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
		expect(contrastRatio('#ffffff', '#ffffff')).toBeCloseTo(1, 5);
		// #767676 on white is the classic "just passes AA" grey (4.54:1).
		expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
		expect(contrastRatio('#777777', '#ffffff')).toBeLessThan(4.5);
		// The design system's brand green is documented at 7.5:1 on white.
		expect(contrastRatio('#1f5f4a', '#ffffff')).toBeCloseTo(7.5, 0);
	});

	test('a primary colour too light for white text is refused, a dark one accepted', () => {
		expect(checkColours({ primaryColor: '#1f5f4a', accentColor: '#f3c969' })).toEqual([]);
		expect(checkColours({ primaryColor: '#f3c969', accentColor: null })).toEqual([
			{ field: 'primaryColor', code: 'programme_settings.contrast_too_low' }
		]);
	});

	test('an accent too dark for the dark text is refused; malformed colours are named', () => {
		expect(checkColours({ primaryColor: null, accentColor: '#1f5f4a' })).toEqual([
			{ field: 'accentColor', code: 'programme_settings.contrast_too_low' }
		]);
		expect(checkColours({ primaryColor: 'green', accentColor: '#fff' })).toEqual([
			{ field: 'primaryColor', code: 'programme_settings.invalid_colour' },
			{ field: 'accentColor', code: 'programme_settings.invalid_colour' }
		]);
	});
});

describe('small numbers are not published', () => {
	test('a figure about fewer than 5 households is replaced by "fewer than 5"', () => {
		expect(publishCount(4)).toEqual({ value: null, isHidden: true, below: 5 });
		expect(publishCount(0)).toEqual({ value: null, isHidden: true, below: 5 });
		expect(publishCount(5)).toEqual({ value: 5, isHidden: false });
		expect(publishCount(120)).toEqual({ value: 120, isHidden: false });
	});

	test('persons are hidden when their households are fewer than 5, however many persons', () => {
		expect(publishCount(14, 4)).toEqual({ value: null, isHidden: true, below: 5 });
		expect(publishCount(14, 5)).toEqual({ value: 14, isHidden: false });
	});
});

describe('pipeline stages typed by an admin', () => {
	const stage = (key: string, labelFr: string, milestone: string) => ({
		key,
		labelFr,
		labelEn: '',
		milestone
	});

	test('renamed, reordered and added stages become a pipeline mapped to milestones', () => {
		const built = buildPipelineConfig([
			stage('contact', 'Premier appel', 'contact'),
			stage('', 'Visite du village', 'discovery'),
			stage('qualified', 'Projet validé', 'qualified'),
			stage('', 'Emménagé', 'installed')
		]);
		expect(built.issues).toEqual([]);
		expect(built.config).toEqual({
			stages: ['contact', 'visite_du_village', 'qualified', 'emmenage'],
			labels: {
				contact: { fr: 'Premier appel' },
				visite_du_village: { fr: 'Visite du village' },
				qualified: { fr: 'Projet validé' },
				emmenage: { fr: 'Emménagé' }
			},
			milestones: {
				contact: 'contact',
				visite_du_village: 'discovery',
				qualified: 'qualified',
				emmenage: 'installed'
			}
		});
		const pipeline = resolvePipeline(built.config);
		expect(pipeline.installedIndex).toBe(3);
		expect(pipeline.milestones.emmenage).toBe('installed');
		expect(pipeline.milestones.left_territory).toBe('left');
	});

	test('an unknown milestone and a duplicate key are named on their row', () => {
		const built = buildPipelineConfig([
			stage('contact', 'Contact', 'contact'),
			stage('contact', 'Encore', 'qualified'),
			stage('installed', 'Installé', 'arrived')
		]);
		expect(built.config).toBeNull();
		expect(built.issues).toEqual([
			{ field: 'stages.1.key', code: 'programme_settings.duplicate_stage' },
			{ field: 'stages.2.milestone', code: 'programme_settings.unknown_milestone' }
		]);
	});

	test('a pipeline without an installation is refused by the pipeline rules', () => {
		const built = buildPipelineConfig([
			stage('contact', 'Contact', 'contact'),
			stage('', 'Visite', 'discovery')
		]);
		expect(built.issues).toEqual([{ field: 'stages', code: 'case.pipeline_installed_missing' }]);
	});

	test('keys made from names are ASCII and unique', () => {
		expect(stageKeyOf('Étape à côté', new Set())).toBe('etape_a_cote');
		expect(stageKeyOf('Contact', new Set(['contact']))).toBe('contact_2');
		expect(stageKeyOf('1re visite', new Set())).toBe('re_visite');
	});
});

describe('completeness and positions', () => {
	test('the legal notice is filled only when every field is', () => {
		const legal = {
			publisher: 'CCI du Gers',
			address: 'Auch',
			registration: 'SIREN 183 200 017',
			director: 'A. Martin',
			hostName: 'OVH',
			hostAddress: 'Roubaix'
		};
		expect(isLegalFilled(legal)).toBe(true);
		expect(isLegalFilled({ ...legal, hostName: ' ' })).toBe(false);
		expect(isLegalFilled(null)).toBe(false);
	});

	test('Toulouse is in France, swapped coordinates are not', () => {
		expect(isInFrance(43.6045, 1.4442)).toBe(true);
		expect(isInFrance(1.4442, 43.6045)).toBe(false);
		expect(isInFrance(-20.88, 55.45)).toBe(true);
	});
});
