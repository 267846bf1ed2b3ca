import { describe, expect, test } from 'vitest';
import { auditFieldChanges, diffFields, hasChanges, personLabelsOf } from './audit.rules.ts';

describe('audit diff', () => {
	test('only the changed fields are kept, before and after', () => {
		const change = diffFields(
			{ wishedArea: 'Gers', timeline: 'undecided', howHeard: 'radio', updatedAt: new Date(1) },
			{ wishedArea: 'Gers', timeline: 'within_6_months', howHeard: 'radio', updatedAt: new Date(2) }
		);
		expect(change).toEqual({ before: { timeline: 'undecided' }, after: { timeline: 'within_6_months' } });
	});

	test('null, missing, empty text, empty list and empty object all mean nothing changed', () => {
		const change = diffFields(
			{ a: null, b: '', c: [], d: {}, e: undefined },
			{ a: '', b: null, c: null, d: undefined, e: [] }
		);
		expect(hasChanges(change)).toBe(false);
	});

	test('objects compare by content whatever the key order, dates as ISO text', () => {
		expect(
			hasChanges(
				diffFields({ needs: { schools: true, maxRent: 800 } }, { needs: { maxRent: 800, schools: true } })
			)
		).toBe(false);
		expect(
			diffFields({ at: new Date('2026-01-02T00:00:00Z') }, { at: new Date('2026-01-03T00:00:00Z') })
		).toEqual({
			before: { at: '2026-01-02T00:00:00.000Z' },
			after: { at: '2026-01-03T00:00:00.000Z' }
		});
	});

	test('a creation has no before and a deletion no after; bookkeeping columns are left out', () => {
		const person = { id: 'per_1', caseId: 'cas_1', firstName: 'Léa', email: null, createdAt: new Date() };
		expect(diffFields(null, person)).toEqual({ before: {}, after: { firstName: 'Léa' } });
		expect(diffFields(person, null)).toEqual({ before: { firstName: 'Léa' }, after: {} });
	});

	test('nested objects are shown one field per line', () => {
		expect(
			auditFieldChanges({
				before: { needs: { schools: true }, wishedArea: null },
				after: { needs: { schools: true, maxRent: 700 }, wishedArea: 'Astarac' }
			})
		).toEqual([
			{ field: 'needs.maxRent', before: null, after: 700 },
			{ field: 'wishedArea', before: null, after: 'Astarac' }
		]);
	});

	test('a deleted person is still named in the history', () => {
		expect(
			personLabelsOf([
				{ entityType: 'person', entityId: 'per_1', before: { firstName: 'Marc' }, after: {} },
				{
					entityType: 'person',
					entityId: 'per_1',
					before: {},
					after: { firstName: 'Marc', householdRole: 'partner' }
				}
			])
		).toEqual({ per_1: { firstName: 'Marc', lastName: null, householdRole: 'partner' } });
	});
});
