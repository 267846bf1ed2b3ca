/**
 * Duplicates: the flagged pairs, dismissing a flag, and merging two cases (or two persons of
 * one household) with their whole history; an absorbed case's old id and reference lead on.
 */
import * as v from 'valibot';
import { translate } from '../../../i18n/index.ts';
import type { Actor } from '../../auth/actor.ts';
import type { Db } from '../../db/index.ts';
import type { Case, Person } from '../../db/schema/index.ts';
import { createLogger } from '../../logger.ts';
import { repointCaseAudit } from '../audit/audit.repository.ts';
import { auditAuthorOf, recordCaseChange, type AuditAuthor } from '../audit/audit.service.ts';
import {
	deletePerson,
	findPersonById,
	updatePerson as updatePersonRow
} from './case-household.repository.ts';
import {
	countCaseHistory,
	deleteCase,
	findCaseMerge,
	findCaseReferences,
	findDuplicatePairs,
	insertCaseMerge,
	moveTargetVillages,
	repointCaseReference,
	type DuplicatePair
} from './case-merge.repository.ts';
import { caseMergePersonsOtherCase, caseMergeSame, casePersonNotFound } from './case.errors.ts';
import { assertStaff, caseAccessOf } from './case.permissions.ts';
import {
	findCaseById,
	findCasePersons,
	insertActivity,
	updateCase as updateCaseRow,
	type TargetVillage
} from './case.repository.ts';
import { fillBlanks, matchPersons } from './case.rules.ts';
import { personIdSchema } from './case.schemas.ts';
import { type Deps, loadVisibleCase, assertCanEdit, loadPerson, touchCase } from './case.shared.ts';

const log = createLogger({ namespace: 'case:service' });

/** Cases flagged as possible duplicates, with the case each one resembles (staff only). */
export async function listDuplicates(
	{ actor }: { actor: Actor },
	{ db }: Deps
): Promise<{ pairs: DuplicatePair[] }> {
	assertStaff(actor);
	return { pairs: await findDuplicatePairs({ db, programmeId: actor.programmeId }) };
}

/** "Not a duplicate": clears the flag of a case (staff only), with its audit entry. */
export async function dismissDuplicate(
	{ actor, caseId }: { actor: Actor; caseId: string },
	{ db, now = new Date() }: Deps
): Promise<{ case: Case }> {
	return db.transaction(async (tx) => {
		const { kase, access } = await loadVisibleCase({ actor, caseId, forUpdate: true }, { db: tx });
		assertCanEdit(actor, access);
		const updated = await updateCaseRow({
			db: tx,
			caseId: kase.id,
			values: { possibleDuplicateOf: null, updatedAt: now, updatedBy: actor.userId }
		});
		await recordCaseChange(
			{ kase, action: 'update', author: auditAuthorOf(actor), at: now, before: kase, after: updated },
			{ db: tx }
		);
		return { case: updated };
	});
}

/** Where an absorbed case went: its id or reference → the kept case's id (null when not merged). */
export async function resolveMergedCase(
	{ actor, key }: { actor: Actor; key: string },
	{ db }: Deps
): Promise<{ caseId: string } | null> {
	if (caseAccessOf(actor) === 'none' || !key || key.length > 100) return null;
	const merge = await findCaseMerge({ db, programmeId: actor.programmeId, key });
	return merge ? { caseId: merge.keptCaseId } : null;
}

type MergeSide = {
	case: Case;
	persons: Person[];
	villages: TargetVillage[];
	history: { activities: number; stageChanges: number; tasks: number };
};

/** The two cases side by side and the persons that will be merged into one (staff only). */
export async function getMergePreview(
	{ actor, keepCaseId, absorbCaseId }: { actor: Actor; keepCaseId: string; absorbCaseId: string },
	{ db }: Deps
): Promise<{
	keep: MergeSide;
	absorb: MergeSide;
	pairs: { keepPersonId: string; absorbPersonId: string }[];
}> {
	assertStaff(actor);
	if (keepCaseId === absorbCaseId) throw caseMergeSame({ caseId: keepCaseId });
	const side = async (caseId: string): Promise<MergeSide> => {
		const { kase, villages } = await loadVisibleCase({ actor, caseId }, { db });
		return {
			case: kase,
			persons: await findCasePersons({ db, caseId: kase.id }),
			villages,
			history: await countCaseHistory({ db, caseId: kase.id })
		};
	};
	const keep = await side(keepCaseId);
	const absorb = await side(absorbCaseId);
	const pairs = matchPersons(keep.persons, absorb.persons).map((pair) => ({
		keepPersonId: pair.keep.id,
		absorbPersonId: pair.absorb.id
	}));
	return { keep, absorb, pairs };
}

/** Case columns a merge never takes from the absorbed case. */
const CASE_MERGE_SKIP = [
	'id',
	'programmeId',
	'reference',
	'stage',
	'stageChangedAt',
	'consents',
	'possibleDuplicateOf',
	'createdAt',
	'updatedAt',
	'createdBy',
	'updatedBy',
	'isDemo'
];
const PERSON_MERGE_SKIP = [
	'id',
	'programmeId',
	'caseId',
	'householdRole',
	'createdAt',
	'updatedAt',
	'isDemo',
	'searchName'
];

/**
 * Merges person `absorb` into person `keep` in the caller's transaction: the kept
 * person's values stay, its blanks are filled, anything referencing the absorbed person
 * follows, and the absorbed person is deleted with an audit entry keeping what it held.
 */
async function mergePersonRows(
	{
		keep,
		absorb,
		kase,
		author,
		now
	}: { keep: Person; absorb: Person; kase: Case; author: AuditAuthor; now: Date },
	{ db }: { db: Db }
): Promise<Person> {
	const values: Partial<Person> = fillBlanks(keep, absorb, PERSON_MERGE_SKIP);
	// The text of "other" goes with its key: a kept sector or status is not given the absorbed text.
	if ((values.sector ?? keep.sector) !== 'other') delete values.sectorOther;
	if ((values.status ?? keep.status) !== 'other') delete values.statusOther;
	if ((values.originArea ?? keep.originArea) !== 'other') delete values.originAreaOther;
	if (absorb.householdRole === 'candidate' && keep.householdRole !== 'candidate')
		values.householdRole = 'candidate';
	for (const ref of await findCaseReferences({ db, table: 'persons' })) {
		await repointCaseReference({
			db,
			table: ref.table,
			column: ref.column,
			fromCaseId: absorb.id,
			toCaseId: keep.id
		});
	}
	await deletePerson({ db, personId: absorb.id });
	const merged = Object.keys(values).length
		? await updatePersonRow({ db, personId: keep.id, values: { ...values, updatedAt: now } })
		: keep;
	await recordCaseChange(
		{
			kase,
			entity: { type: 'person', id: absorb.id },
			action: 'merge',
			author,
			at: now,
			before: absorb,
			after: null,
			extra: { after: { mergedInto: keep.id } }
		},
		{ db }
	);
	await recordCaseChange(
		{
			kase,
			entity: { type: 'person', id: keep.id },
			action: 'merge',
			author,
			at: now,
			before: keep,
			after: merged,
			extra: { after: { absorbedPerson: absorb.id } }
		},
		{ db }
	);
	return merged;
}

/**
 * Merges two persons of the same household into one (staff only): see mergePersonRows.
 * To merge persons of two households, merge the cases.
 */
export async function mergePersons(
	{
		actor,
		caseId,
		keepPersonId,
		absorbPersonId
	}: { actor: Actor; caseId: string; keepPersonId: string; absorbPersonId: string },
	{ db, now = new Date() }: Deps
): Promise<{ person: Person }> {
	if (keepPersonId === absorbPersonId) throw caseMergeSame({ personId: keepPersonId });
	return db.transaction(async (tx) => {
		const { kase, access } = await loadVisibleCase({ actor, caseId, forUpdate: true }, { db: tx });
		assertCanEdit(actor, access);
		const keep = await loadPerson({ actor, kase, personId: keepPersonId }, { db: tx });
		if (!v.is(personIdSchema, absorbPersonId)) throw casePersonNotFound({ personId: absorbPersonId });
		const absorb = await findPersonById({ db: tx, programmeId: actor.programmeId, personId: absorbPersonId });
		if (!absorb) throw casePersonNotFound({ personId: absorbPersonId });
		if (absorb.caseId !== kase.id) throw caseMergePersonsOtherCase({ personId: absorbPersonId });
		const person = await mergePersonRows(
			{ keep, absorb, kase, author: auditAuthorOf(actor), now },
			{ db: tx }
		);
		await touchCase({ kase, actor, now }, { db: tx });
		return { person };
	});
}

/**
 * Merges case `absorbCaseId` into case `keepCaseId` (staff only, same programme: another
 * programme's case is not found). In one transaction: the same persons are merged, the
 * others move; the timeline, stage changes, tasks, target villages and every other row
 * referencing the absorbed case move to the kept one; its blanks are filled from the
 * absorbed case; the history of changes follows; a timeline entry and audit entries say
 * what happened; the absorbed case is deleted and its id and reference lead to the kept one.
 */
export async function mergeCases(
	{ actor, keepCaseId, absorbCaseId }: { actor: Actor; keepCaseId: string; absorbCaseId: string },
	{ db, now = new Date() }: Deps
): Promise<{ case: Case; moved: Record<string, number> }> {
	assertStaff(actor);
	if (keepCaseId === absorbCaseId) throw caseMergeSame({ caseId: keepCaseId });
	return db.transaction(async (tx) => {
		const { kase: keep } = await loadVisibleCase({ actor, caseId: keepCaseId, forUpdate: true }, { db: tx });
		const { kase: absorb, villages: absorbVillages } = await loadVisibleCase(
			{ actor, caseId: absorbCaseId, forUpdate: true },
			{ db: tx }
		);
		const author = auditAuthorOf(actor);
		const keptPersons = await findCasePersons({ db: tx, caseId: keep.id });
		const absorbedPersons = await findCasePersons({ db: tx, caseId: absorb.id });
		const pairs = matchPersons(keptPersons, absorbedPersons);
		for (const pair of pairs) {
			await mergePersonRows({ keep: pair.keep, absorb: pair.absorb, kase: keep, author, now }, { db: tx });
		}
		// A household has one candidate: an absorbed candidate who is someone else joins as another adult.
		const hasCandidate = keptPersons.some((person) => person.householdRole === 'candidate');
		for (const person of absorbedPersons) {
			if (pairs.some((pair) => pair.absorb.id === person.id)) continue;
			const values =
				hasCandidate && person.householdRole === 'candidate' ? { householdRole: 'other' as const } : {};
			const moved = await updatePersonRow({
				db: tx,
				personId: person.id,
				values: { ...values, caseId: keep.id, updatedAt: now }
			});
			await recordCaseChange(
				{
					kase: keep,
					entity: { type: 'person', id: person.id },
					action: 'merge',
					author,
					at: now,
					before: person,
					after: moved,
					extra: { before: { case: absorb.reference }, after: { case: keep.reference } }
				},
				{ db: tx }
			);
		}
		await moveTargetVillages({ db: tx, fromCaseId: absorb.id, toCaseId: keep.id });
		if (keep.possibleDuplicateOf === absorb.id) {
			await updateCaseRow({ db: tx, caseId: keep.id, values: { possibleDuplicateOf: null } });
		}
		const moved: Record<string, number> = {};
		for (const ref of await findCaseReferences({ db: tx, table: 'cases' })) {
			if (ref.table === 'case_target_villages') continue;
			const n = await repointCaseReference({
				db: tx,
				table: ref.table,
				column: ref.column,
				fromCaseId: absorb.id,
				toCaseId: keep.id
			});
			if (n) moved[ref.table === 'cases' ? `cases.${ref.column}` : ref.table] = n;
		}
		moved.audit_entries = await repointCaseAudit({
			db: tx,
			programmeId: keep.programmeId,
			fromCaseId: absorb.id,
			toCaseId: keep.id
		});
		await insertCaseMerge({
			db: tx,
			values: {
				programmeId: keep.programmeId,
				absorbedCaseId: absorb.id,
				absorbedReference: absorb.reference,
				keptCaseId: keep.id,
				mergedAt: now,
				mergedBy: actor.userId
			}
		});
		await deleteCase({ db: tx, caseId: absorb.id });
		const fresh = (await findCaseById({ db: tx, programmeId: keep.programmeId, caseId: keep.id }))!;
		const updated = await updateCaseRow({
			db: tx,
			caseId: keep.id,
			values: { ...fillBlanks(fresh, absorb, CASE_MERGE_SKIP), updatedAt: now, updatedBy: actor.userId }
		});
		await insertActivity({
			db: tx,
			values: {
				programmeId: keep.programmeId,
				caseId: keep.id,
				kind: 'note',
				occurredAt: now,
				authorId: actor.userId,
				summary: translate(actor.locale, 'caseedit_activity_merged', { reference: absorb.reference }),
				data: {
					messageKey: 'caseedit_activity_merged',
					absorbedCaseId: absorb.id,
					absorbedReference: absorb.reference,
					mergedPersons: pairs.length,
					moved
				}
			}
		});
		await recordCaseChange(
			{
				kase: keep,
				entity: { type: 'case', id: absorb.id },
				action: 'merge',
				author,
				at: now,
				before: { ...absorb, targetVillages: absorbVillages.map((village) => village.slug).sort() },
				after: null,
				extra: { after: { mergedInto: keep.reference } }
			},
			{ db: tx }
		);
		await recordCaseChange(
			{
				kase: keep,
				action: 'merge',
				author,
				at: now,
				before: keep,
				after: updated,
				extra: { after: { absorbedCase: absorb.reference } }
			},
			{ db: tx }
		);
		log.info({ keptCaseId: keep.id, absorbedCaseId: absorb.id, userId: actor.userId }, 'Cases merged');
		return { case: updated, moved };
	});
}
