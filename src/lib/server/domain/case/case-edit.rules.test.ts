import { describe, expect, test } from 'vitest';
import {
	checkStageFields,
	DEFAULT_PIPELINE,
	fillBlanks,
	isSamePerson,
	matchPersons,
	normaliseName,
	type StageFields
} from './case.rules.ts';
import { isValidSiret } from './case.schemas.ts';

const empty: StageFields = {
	installedCommuneCode: null,
	installedOn: null,
	leftOn: null,
	leftReason: null,
	abandonedReason: null,
	businessCreatedOn: null,
	businessClosedOn: null
};

describe('editing a case keeps it consistent with its stage', () => {
	test('an open case has no installation, departure or abandon details', () => {
		expect(checkStageFields(DEFAULT_PIPELINE, 'qualified', empty)).toEqual([]);
		expect(
			checkStageFields(DEFAULT_PIPELINE, 'qualified', {
				...empty,
				installedOn: '2030-01-01',
				leftReason: 'x',
				abandonedReason: 'x'
			}).map((issue) => `${issue.field} ${issue.code}`)
		).toEqual([
			'installedOn case.not_installed_yet',
			'leftReason case.not_left',
			'abandonedReason case.not_abandoned'
		]);
	});

	test('an installed case keeps its commune and date; a departed one its date and reason, not before arriving', () => {
		expect(checkStageFields(DEFAULT_PIPELINE, 'installed', empty).map((issue) => issue.code)).toEqual([
			'case.installed_commune_required',
			'case.installed_on_required'
		]);
		const installed = { ...empty, installedCommuneCode: '32433', installedOn: '2030-06-01' };
		expect(checkStageFields(DEFAULT_PIPELINE, 'integrated', installed)).toEqual([]);
		expect(
			checkStageFields(DEFAULT_PIPELINE, 'left_territory', {
				...installed,
				leftOn: '2030-01-01',
				leftReason: 'Travail'
			})
		).toEqual([{ field: 'leftOn', code: 'case.left_before_installed' }]);
		expect(checkStageFields(DEFAULT_PIPELINE, 'abandoned', empty)).toEqual([
			{ field: 'abandonedReason', code: 'case.reason_required' }
		]);
	});

	test('a business closes after it opened', () => {
		expect(
			checkStageFields(DEFAULT_PIPELINE, 'contact', {
				...empty,
				businessCreatedOn: '2030-05-01',
				businessClosedOn: '2030-04-30'
			})
		).toEqual([{ field: 'businessClosedOn', code: 'case.business_closed_before_created' }]);
	});

	test('a SIRET has 14 digits and a valid Luhn key (La Poste aside)', () => {
		expect(isValidSiret('73282932000074')).toBe(true);
		expect(isValidSiret('73282932000075')).toBe(false);
		expect(isValidSiret('7328293200007')).toBe(false);
		expect(isValidSiret('35600000000010')).toBe(true);
	});
});

describe('duplicates and merge', () => {
	const person = (values: Partial<Parameters<typeof isSamePerson>[0]>) => ({
		id: 'per_x',
		householdRole: 'candidate',
		firstName: null,
		lastName: null,
		email: null,
		phone: null,
		birthYear: null,
		...values
	});

	test('names compare without accents, case or punctuation', () => {
		expect(normaliseName('  Hélène-Marie  GARNIER ')).toBe('helene marie garnier');
	});

	test('the same person: same email, same phone, or same names with the same birth year', () => {
		expect(isSamePerson(person({ email: 'a@x.org' }), person({ email: 'a@x.org' }))).toBe(true);
		expect(isSamePerson(person({ phone: '+33612345678' }), person({ phone: '+33612345678' }))).toBe(true);
		const helene = person({ firstName: 'Hélène', lastName: 'Garnier', birthYear: 1988 });
		expect(isSamePerson(helene, person({ firstName: 'helene', lastName: 'GARNIER', birthYear: 1988 }))).toBe(
			true
		);
		expect(isSamePerson(helene, person({ firstName: 'Hélène', lastName: 'Garnier', birthYear: 1990 }))).toBe(
			false
		);
		expect(isSamePerson(person({}), person({}))).toBe(false);
	});

	test('each kept person absorbs at most one, candidates first', () => {
		const kept = [person({ id: 'k1', email: 'a@x.org' })];
		const absorbed = [
			person({ id: 'a2', householdRole: 'other', email: 'a@x.org' }),
			person({ id: 'a1', email: 'a@x.org' })
		];
		expect(matchPersons(kept, absorbed).map((pair) => [pair.keep.id, pair.absorb.id])).toEqual([
			['k1', 'a1']
		]);
	});

	test('a merge keeps the kept values, fills blanks, joins lists and completes objects', () => {
		expect(
			fillBlanks(
				{ id: 'k', profession: 'Graphiste', sector: null, languages: ['fr'], needs: { job: true } },
				{
					id: 'a',
					profession: 'Illustratrice',
					sector: 'design',
					languages: ['fr', 'nl'],
					needs: { doctor: true }
				},
				['id']
			)
		).toEqual({ sector: 'design', languages: ['fr', 'nl'], needs: { doctor: true, job: true } });
	});
});
