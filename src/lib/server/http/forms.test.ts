import * as v from 'valibot';
import { expect, test } from 'vitest';
import { createCaseSchema, personSchema, updateCaseSchema } from '../domain/case/case.schemas.ts';
import { createReferralSchema } from '../domain/referral/referral.schemas.ts';
import { failForm, issuesByField } from './errors.ts';
import { parseForm } from './forms.ts';
import { ValidationError } from '../validation.ts';

const form = (fields: Record<string, string | string[]>) => {
	const data = new FormData();
	for (const [name, value] of Object.entries(fields)) {
		for (const item of Array.isArray(value) ? value : [value]) data.append(name, item);
	}
	return data;
};

test('a valid form gives the schema output: typed choices, numbers and ticked boxes', () => {
	const parsed = parseForm(
		form({ householdRole: 'partner', firstName: ' Léa ', birthYear: '1988', needs_job: 'on' }),
		personSchema
	);
	expect(parsed).toMatchObject({
		ok: true,
		data: { householdRole: 'partner', firstName: 'Léa', birthYear: 1988, needs: { job: true, doctor: false } }
	});
});

test('a nested object is read from its <key>_<field> fields and an unticked box counts as "no"', () => {
	const parsed = parseForm(
		form({ source: 'fair', needs_housingKind: 'rent', needs_maxRent: '650', consentContact: 'on' }),
		updateCaseSchema
	);
	if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
	expect(parsed.data.needs).toMatchObject({ housingKind: 'rent', maxRent: 650, schools: false });
	expect(parsed.data.consentContact).toBe(true);
	// Every field of the schema is given, so an edit form's unticked box is saved as unticked.
	expect(Object.keys(parsed.data)).toContain('consentResearch');
	expect(parsed.data.consentResearch).toBe(false);
});

test('a list takes every value posted under its name', () => {
	const parsed = parseForm(
		form({ source: 'phone', firstName: 'Léa', lastName: 'Martin', villages: ['simorre', 'samatan'] }),
		createCaseSchema,
		{ advisorId: null }
	);
	expect(parsed.ok && parsed.data.villages).toEqual(['simorre', 'samatan']);
});

test('fields the form does not post as the schema reads them are given by the action', () => {
	const parsed = parseForm(
		form({ source: 'phone', firstName: 'Léa', lastName: 'Martin', children: '7, 2' }),
		createCaseSchema,
		{
			children: [{ age: '7' }, { age: '2' }],
			advisorId: null
		}
	);
	expect(parsed.ok && parsed.data.children.map((child) => child.age)).toEqual([7, 2]);
});

test('an invalid form gives the first error code of each field, in the shape the pages read', () => {
	const parsed = parseForm(
		form({ organisationId: '', needKind: 'teleportation', expectedAnswerOn: '2026-02-30x' }),
		createReferralSchema
	);
	expect(parsed).toEqual({
		ok: false,
		issues: {
			organisationId: 'referral.organisation_required',
			needKind: 'referral.invalid_need',
			expectedAnswerOn: 'referral.invalid_expected_date'
		}
	});
});

test('a nested field keeps its dotted name, as when the service refuses it', () => {
	const parsed = parseForm(
		form({ householdRole: 'candidate', needs_schoolLevel: 'university' }),
		personSchema
	);
	expect(parsed).toEqual({ ok: false, issues: { 'needs.schoolLevel': 'case.invalid_school_level' } });
});

test('parseForm and a service’s ValidationError give the same issues to the page', () => {
	const schema = v.object({ title: v.pipe(v.string(), v.nonEmpty('case.task_title_required')) });
	const parsed = parseForm(form({ title: '' }), schema);
	const viaService = failForm(
		new ValidationError([{ field: 'title', code: 'case.task_title_required' }]),
		{}
	);
	expect(parsed.ok ? null : parsed.issues).toEqual(viaService.data.issues);
	expect(issuesByField([{ field: '', code: 'case.not_found' }])).toEqual({ form: 'case.not_found' });
});

test('a schema that is not an object is a programming error', () => {
	expect(() => parseForm(form({}), v.string())).toThrow(TypeError);
});
