/**
 * The persons of a household (staff only): adding, reading, editing and removing them, with
 * their audit entries and the duplicate flag a changed person may raise.
 */
import * as v from 'valibot';
import type { Actor } from '../../auth/actor.ts';
import type { Db } from '../../db/index.ts';
import { casesTable, personsTable, type Case, type Person } from '../../db/schema/index.ts';
import { ValidationError, parseInput, type FieldIssue } from '../../validation.ts';
import { auditAuthorOf, recordCaseChange } from '../audit/audit.service.ts';
import { deletePerson, updatePerson as updatePersonRow } from './case-household.repository.ts';
import { caseLastAdult } from './case.errors.ts';
import { findCasePersons, findDuplicateCaseId, insertPersons } from './case.repository.ts';
import { personSchema, type PersonInput } from './case.schemas.ts';
import { originValues, personVocabularyValues } from '../vocabulary/vocabulary.rules.ts';
import {
	type Deps,
	givenKeys,
	compactNeeds,
	loadVisibleCase,
	assertCanEdit,
	loadPerson,
	touchCase
} from './case.shared.ts';

const ADULT_ROLES = ['candidate', 'partner', 'other'];

/** Values of a person from the form, for the keys given. */
function personValues(
	data: v.InferOutput<typeof personSchema>,
	given: Set<string>
): Partial<typeof personsTable.$inferInsert> {
	const values: Partial<typeof personsTable.$inferInsert> = {};
	const nullable = ['firstName', 'lastName', 'email', 'phone', 'birthYear', 'profession', 'pcs'] as const;
	for (const key of nullable) {
		if (given.has(key)) (values as Record<string, unknown>)[key] = data[key] ?? null;
	}
	// Status and sector are stored as keys of their vocabulary, with the text of `other` beside.
	const vocabulary = personVocabularyValues(data);
	if (given.has('status') || given.has('statusOther')) {
		values.status = vocabulary.status;
		values.statusOther = vocabulary.statusOther;
	}
	if (given.has('sector') || given.has('sectorOther')) {
		values.sector = vocabulary.sector;
		values.sectorOther = vocabulary.sectorOther;
	}
	// The origin: a key of its vocabulary (a typed region, département or country is read), the
	// text of `other` beside; the country is kept unless given or named by the text.
	if (given.has('originCountry') || given.has('originArea') || given.has('originAreaOther')) {
		const origin = originValues({
			originCountry: given.has('originCountry') ? (data.originCountry ?? null) : undefined,
			originArea: data.originArea,
			originAreaOther: data.originAreaOther
		});
		if (origin.originCountry !== undefined) values.originCountry = origin.originCountry;
		values.originArea = origin.originArea;
		values.originAreaOther = origin.originAreaOther;
	}
	if (given.has('householdRole')) values.householdRole = data.householdRole;
	if (given.has('languages')) values.languages = [...new Set(data.languages)];
	if (given.has('needs')) values.needs = compactNeeds(data.needs);
	return values;
}

/** The candidate is named: staff follow them by name. */
function personIssues(person: Pick<Person, 'householdRole' | 'firstName' | 'lastName'>): FieldIssue[] {
	if (person.householdRole !== 'candidate') return [];
	const issues: FieldIssue[] = [];
	if (!person.firstName) issues.push({ field: 'firstName', code: 'case.first_name_required' });
	if (!person.lastName) issues.push({ field: 'lastName', code: 'case.last_name_required' });
	return issues;
}

/**
 * Flags the case when a person now matches another case (same email, phone, or name and
 * birth year), unless it is already flagged. Returns the values to write on the case.
 */
async function duplicateFlagFor(
	{ kase, person }: { kase: Case; person: Person },
	{ db }: { db: Db }
): Promise<Partial<typeof casesTable.$inferInsert>> {
	if (kase.possibleDuplicateOf) return {};
	const duplicate = await findDuplicateCaseId({
		db,
		programmeId: kase.programmeId,
		emails: person.email ? [person.email] : [],
		phones: person.phone ? [person.phone] : [],
		names:
			person.firstName && person.lastName && person.birthYear
				? [{ firstName: person.firstName, lastName: person.lastName, birthYear: person.birthYear }]
				: [],
		excludeCaseId: kase.id
	});
	return duplicate ? { possibleDuplicateOf: duplicate } : {};
}

/** Adds a person to the household (staff only). A household has one candidate. */
export async function addPerson(
	{ actor, caseId, input }: { actor: Actor; caseId: string; input: PersonInput },
	{ db, now = new Date() }: Deps
): Promise<{ person: Person }> {
	const given = givenKeys(input);
	return db.transaction(async (tx) => {
		const { kase, access } = await loadVisibleCase({ actor, caseId, forUpdate: true }, { db: tx });
		assertCanEdit(actor, access);
		const data = parseInput(personSchema, input);
		const values = personValues(data, given);
		const issues = personIssues({
			householdRole: data.householdRole,
			firstName: values.firstName ?? null,
			lastName: values.lastName ?? null
		});
		const household = await findCasePersons({ db: tx, caseId: kase.id });
		if (data.householdRole === 'candidate' && household.some((p) => p.householdRole === 'candidate')) {
			issues.push({ field: 'householdRole', code: 'case.one_candidate' });
		}
		if (issues.length) throw new ValidationError(issues);
		const [person] = await insertPersons({
			db: tx,
			persons: [
				{
					...values,
					programmeId: kase.programmeId,
					caseId: kase.id,
					householdRole: data.householdRole,
					createdAt: now,
					updatedAt: now
				}
			]
		});
		await recordCaseChange(
			{
				kase,
				entity: { type: 'person', id: person.id },
				action: 'create',
				author: auditAuthorOf(actor),
				at: now,
				before: null,
				after: person
			},
			{ db: tx }
		);
		await touchCase(
			{ kase, actor, now, values: await duplicateFlagFor({ kase, person }, { db: tx }) },
			{ db: tx }
		);
		return { person };
	});
}

/** A person of the household as staff see and edit it (staff only). */
export async function getPerson(
	{ actor, caseId, personId }: { actor: Actor; caseId: string; personId: string },
	{ db }: Deps
): Promise<{ case: Case; person: Person }> {
	const { kase, access } = await loadVisibleCase({ actor, caseId }, { db });
	assertCanEdit(actor, access);
	return { case: kase, person: await loadPerson({ actor, kase, personId }, { db }) };
}

/**
 * Edits a person of the household (staff only): the keys given are changed. The
 * candidate keeps the role and a name; nobody else becomes a second candidate.
 */
export async function updatePerson(
	{
		actor,
		caseId,
		personId,
		input
	}: { actor: Actor; caseId: string; personId: string; input: Partial<PersonInput> },
	{ db, now = new Date() }: Deps
): Promise<{ person: Person }> {
	const given = givenKeys(input);
	return db.transaction(async (tx) => {
		const { kase, access } = await loadVisibleCase({ actor, caseId, forUpdate: true }, { db: tx });
		assertCanEdit(actor, access);
		const person = await loadPerson({ actor, kase, personId }, { db: tx });
		const data = parseInput(personSchema, { householdRole: person.householdRole, ...input });
		const values = personValues(data, given);
		const role = values.householdRole ?? person.householdRole;
		const issues = personIssues({
			householdRole: role,
			firstName: given.has('firstName') ? (values.firstName ?? null) : person.firstName,
			lastName: given.has('lastName') ? (values.lastName ?? null) : person.lastName
		});
		if (role !== person.householdRole && (role === 'candidate' || person.householdRole === 'candidate')) {
			issues.push({ field: 'householdRole', code: 'case.one_candidate' });
		}
		if (issues.length) throw new ValidationError(issues);
		const updated = await updatePersonRow({
			db: tx,
			personId: person.id,
			values: { ...values, updatedAt: now }
		});
		await recordCaseChange(
			{
				kase,
				entity: { type: 'person', id: person.id },
				action: 'update',
				author: auditAuthorOf(actor),
				at: now,
				before: person,
				after: updated
			},
			{ db: tx }
		);
		await touchCase(
			{ kase, actor, now, values: await duplicateFlagFor({ kase, person: updated }, { db: tx }) },
			{ db: tx }
		);
		return { person: updated };
	});
}

/**
 * Removes a person from the household (staff only); the history keeps what they were.
 * The candidate may go only when another adult remains, who becomes the candidate
 * (the partner first).
 */
export async function removePerson(
	{ actor, caseId, personId }: { actor: Actor; caseId: string; personId: string },
	{ db, now = new Date() }: Deps
): Promise<{ promoted: Person | null }> {
	return db.transaction(async (tx) => {
		const { kase, access } = await loadVisibleCase({ actor, caseId, forUpdate: true }, { db: tx });
		assertCanEdit(actor, access);
		const person = await loadPerson({ actor, kase, personId }, { db: tx });
		let promoted: Person | null = null;
		if (person.householdRole === 'candidate') {
			const household = await findCasePersons({ db: tx, caseId: kase.id });
			const next =
				household.find((p) => p.householdRole === 'partner') ??
				household.find((p) => p.id !== person.id && ADULT_ROLES.includes(p.householdRole));
			if (!next) throw caseLastAdult({ caseId: kase.id, personId });
			promoted = await updatePersonRow({
				db: tx,
				personId: next.id,
				values: { householdRole: 'candidate', updatedAt: now }
			});
			await recordCaseChange(
				{
					kase,
					entity: { type: 'person', id: next.id },
					action: 'update',
					author: auditAuthorOf(actor),
					at: now,
					before: next,
					after: promoted
				},
				{ db: tx }
			);
		}
		await deletePerson({ db: tx, personId: person.id });
		await recordCaseChange(
			{
				kase,
				entity: { type: 'person', id: person.id },
				action: 'delete',
				author: auditAuthorOf(actor),
				at: now,
				before: person,
				after: null
			},
			{ db: tx }
		);
		await touchCase({ kase, actor, now }, { db: tx });
		return { promoted };
	});
}
