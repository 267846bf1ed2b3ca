import * as v from 'valibot';
import { describe, expect, test } from 'vitest';
import { isDomainError } from '../../errors.ts';
import { ValidationError } from '../../validation.ts';
import {
	allowedNextStages,
	checkPipelineConfig,
	checkStageTransition,
	DEFAULT_PIPELINE,
	formatCaseReference,
	nextReferenceSequence,
	referencePrefix,
	resolvePipeline,
	type TransitionRequest
} from './case.rules.ts';
import { applicationSchema, normalisePhone } from './case.schemas.ts';

const move = (request: TransitionRequest) => checkStageTransition(DEFAULT_PIPELINE, request);
const errorOf = (fn: () => unknown): unknown => {
	try {
		fn();
	} catch (error) {
		return error;
	}
	return null;
};
const issuesOf = (fn: () => unknown) => {
	const error = errorOf(fn);
	expect(error).toBeInstanceOf(ValidationError);
	return (error as ValidationError).issues;
};

describe('stage transitions', () => {
	test('a case moves forward by one or several steps', () => {
		expect(move({ from: 'contact', to: 'qualified' })).toBe('forward');
		expect(move({ from: 'contact', to: 'installing' })).toBe('forward');
	});

	test('a case moves back one step with a reason, never two', () => {
		expect(move({ from: 'discovery_visit', to: 'qualified', reason: 'visit postponed' })).toBe('back');
		expect(issuesOf(() => move({ from: 'discovery_visit', to: 'qualified' }))).toEqual([
			{ field: 'reason', code: 'case.reason_required' }
		]);
		expect(
			isDomainError(
				errorOf(() => move({ from: 'installing', to: 'contact', reason: 'x' })),
				'case.illegal_transition'
			)
		).toBe(true);
	});

	test('installed requires the commune and the date, given now or already recorded', () => {
		expect(issuesOf(() => move({ from: 'installing', to: 'installed' }))).toEqual([
			{ field: 'installedCommuneCode', code: 'case.installed_commune_required' },
			{ field: 'installedOn', code: 'case.installed_on_required' }
		]);
		expect(
			move({ from: 'installing', to: 'installed', installedCommuneCode: '32013', installedOn: '2026-03-01' })
		).toBe('forward');
		// Jumping past 'installed' needs them too.
		expect(issuesOf(() => move({ from: 'qualified', to: 'integrated', installedOn: '2026-03-01' }))).toEqual([
			{ field: 'installedCommuneCode', code: 'case.installed_commune_required' }
		]);
		expect(
			move({
				from: 'installed',
				to: 'integrated',
				current: { installedCommuneCode: '32013', installedOn: '2020-01-01' }
			})
		).toBe('forward');
	});

	test('only open cases are abandoned, with a reason', () => {
		expect(move({ from: 'qualified', to: 'abandoned', reason: 'found a job in Lyon' })).toBe('abandon');
		expect(issuesOf(() => move({ from: 'contact', to: 'abandoned' }))).toEqual([
			{ field: 'reason', code: 'case.reason_required' }
		]);
		expect(
			isDomainError(
				errorOf(() => move({ from: 'installed', to: 'abandoned', reason: 'x' })),
				'case.illegal_transition'
			)
		).toBe(true);
	});

	test('only installed households leave the territory, with a date and a reason', () => {
		expect(
			move({ from: 'integrated', to: 'left_territory', leftOn: '2026-01-10', reason: 'isolation' })
		).toBe('leave');
		expect(issuesOf(() => move({ from: 'installed', to: 'left_territory' }))).toEqual([
			{ field: 'leftOn', code: 'case.left_on_required' },
			{ field: 'reason', code: 'case.reason_required' }
		]);
		expect(
			issuesOf(() =>
				move({
					from: 'installed',
					to: 'left_territory',
					leftOn: '2019-01-01',
					reason: 'x',
					current: { installedCommuneCode: '32013', installedOn: '2020-01-01' }
				})
			)
		).toEqual([{ field: 'leftOn', code: 'case.left_before_installed' }]);
		expect(
			isDomainError(
				errorOf(() => move({ from: 'qualified', to: 'left_territory', leftOn: '2026-01-01', reason: 'x' })),
				'case.illegal_transition'
			)
		).toBe(true);
	});

	test('exits are final, except an abandoned lead that comes back to the first stage', () => {
		expect(move({ from: 'abandoned', to: 'contact', reason: 'called again' })).toBe('reopen');
		expect(
			isDomainError(
				errorOf(() => move({ from: 'abandoned', to: 'qualified', reason: 'x' })),
				'case.illegal_transition'
			)
		).toBe(true);
		expect(
			isDomainError(
				errorOf(() => move({ from: 'left_territory', to: 'installed', reason: 'x' })),
				'case.illegal_transition'
			)
		).toBe(true);
	});

	test('unknown and unchanged stages are refused with their own codes', () => {
		expect(
			isDomainError(
				errorOf(() => move({ from: 'contact', to: 'dreaming' })),
				'case.unknown_stage'
			)
		).toBe(true);
		expect(
			isDomainError(
				errorOf(() => move({ from: 'contact', to: 'contact' })),
				'case.same_stage'
			)
		).toBe(true);
	});

	test('the stage form offers exactly the allowed moves', () => {
		expect(allowedNextStages(DEFAULT_PIPELINE, 'qualified')).toEqual([
			'contact',
			'discovery_visit',
			'installing',
			'installed',
			'integrated',
			'abandoned'
		]);
		expect(allowedNextStages(DEFAULT_PIPELINE, 'installed')).toEqual([
			'installing',
			'integrated',
			'left_territory'
		]);
		expect(allowedNextStages(DEFAULT_PIPELINE, 'left_territory')).toEqual([]);
	});
});

describe('configured pipelines', () => {
	test('a programme may configure its own stages around "installed"', () => {
		const pipeline = resolvePipeline({ stages: ['lead', 'meeting', 'installed', 'followed'] });
		expect(pipeline.installedIndex).toBe(2);
		expect(checkStageTransition(pipeline, { from: 'lead', to: 'abandoned', reason: 'x' })).toBe('abandon');
		expect(
			isDomainError(
				errorOf(() => checkStageTransition(pipeline, { from: 'lead', to: 'qualified' })),
				'case.unknown_stage'
			)
		).toBe(true);
		expect(resolvePipeline(null)).toBe(DEFAULT_PIPELINE);
	});

	test('a malformed pipeline is named precisely', () => {
		expect(checkPipelineConfig({ stages: ['contact', 'installed'] })).toEqual([]);
		expect(checkPipelineConfig('contact,installed')).toEqual(['case.pipeline_malformed']);
		expect(checkPipelineConfig({ stages: ['installed'] })).toEqual([
			'case.pipeline_stage_count',
			'case.pipeline_installed_first'
		]);
		expect(checkPipelineConfig({ stages: ['Contact', 'contact', 'contact', 'abandoned'] })).toEqual([
			'case.pipeline_invalid_stage_key',
			'case.pipeline_duplicate_stage',
			'case.pipeline_exit_listed',
			'case.pipeline_installed_missing'
		]);
		expect(
			isDomainError(
				errorOf(() => resolvePipeline({ stages: ['a'] })),
				'case.invalid_pipeline'
			)
		).toBe(true);
	});
});

describe('references and intake fields', () => {
	test('references read GERS-2026-0042 and count per year', () => {
		expect(referencePrefix('gers')).toBe('GERS');
		expect(referencePrefix('pays-d-armagnac')).toBe('PAYSDARM');
		expect(formatCaseReference('GERS', 2026, 42)).toBe('GERS-2026-0042');
		expect(nextReferenceSequence(['GERS-2026-0041', 'GERS-2025-0090', 'LOT-2026-0100'], 'GERS', 2026)).toBe(
			42
		);
		expect(nextReferenceSequence([], 'GERS', 2026)).toBe(1);
	});

	test('phone numbers are normalised so duplicates match', () => {
		expect(normalisePhone('06 12 34 56 78')).toBe('+33612345678');
		expect(normalisePhone('0031 6 1234 5678')).toBe('+31612345678');
		expect(normalisePhone('+44 (20) 7946 0958')).toBe('+442079460958');
		expect(normalisePhone('12')).toBeNull();
	});

	test('an application form as posted (strings, checkboxes "on") is read into typed values', () => {
		const data = v.parse(applicationSchema, {
			firstName: ' Anna ',
			lastName: 'Jansen',
			email: 'Anna@Example.org',
			phone: '',
			adultsCount: '2',
			hasPartner: 'on',
			children: [{ age: '4' }],
			timeline: 'within_6_months',
			wouldMoveWithoutProgramme: 'unsure',
			consentContact: 'on',
			needs: { maxRent: '900', housingKind: '' }
		});
		expect(data).toMatchObject({
			firstName: 'Anna',
			email: 'anna@example.org',
			phone: undefined,
			adultsCount: 2,
			hasPartner: true,
			children: [{ age: 4 }],
			consentContact: true,
			consentResearch: false,
			needs: { maxRent: 900, housingKind: undefined }
		});
	});
});
