/**
 * What the case services share: loading a case the actor may see (and one of its persons),
 * the staff and committee checks that go with it, and the village lookups of the forms.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import * as v from 'valibot';
import type { Actor } from '../../auth/actor.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/index.ts';
import type { Case, Person } from '../../db/schema/index.ts';
import type { FieldIssue } from '../../validation.ts';
import { findUserInProgramme } from '../account/account.repository.ts';
import { auditAuthorOf, recordCaseChange } from '../audit/audit.service.ts';
import { findPersonById } from './case-household.repository.ts';
import { caseEditForbidden, caseInvalidAdvisor, caseNotFound, casePersonNotFound } from './case.errors.ts';
import { canCommitteeSeeCase, caseAccessOf } from './case.permissions.ts';
import {
	findCaseById,
	findCaseTargetVillages,
	findCommitteeVillageIds,
	findVillagesByKeys,
	updateCase as updateCaseRow,
	type TargetVillage
} from './case.repository.ts';
import { caseIdSchema, personIdSchema } from './case.schemas.ts';

export type Deps = { db: Db; now?: Date };

/**
 * What committee notifications need: SMTP (without it, mails stay held in the outbox)
 * and the public origin for the link to the case.
 */
export type MailConfig = Pick<Config, 'smtpUrl'> & Partial<Pick<Config, 'origin' | 'port'>>;

export const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** Keys the caller gave: a key left out of the input is not changed. */
export const givenKeys = (input: unknown) => new Set(Object.keys((input ?? {}) as Record<string, unknown>));

export function compactNeeds<T extends Record<string, unknown>>(needs: T): Partial<T> {
	return Object.fromEntries(
		Object.entries(needs).filter(([, value]) => value !== undefined && value !== false)
	) as Partial<T>;
}

type LoadedCase = {
	kase: Case;
	access: 'staff' | 'committee';
	villages: TargetVillage[];
};

/** The cases already loaded by the reads of one page (`readingCaseFile`), by reader and case. */
const caseFileReads = new AsyncLocalStorage<Map<string, Promise<LoadedCase>>>();

/**
 * Runs `read`, the reads of one page of a case file (its load: a dozen services, each checking
 * that the actor may see the case), loading each case once for the same reader instead of once
 * per service (bench: 67 queries per case page before). Only for reads: a write made inside
 * `read` would be followed by reads of the case as it was, so actions never use it; a load
 * `forUpdate` is never shared.
 */
export function readingCaseFile<T>(read: () => Promise<T>): Promise<T> {
	return caseFileReads.run(new Map(), read);
}

/**
 * The case if the actor may see it, else case.not_found: another programme, a malformed
 * id, a committee member outside its villages or without the household's consent, and
 * every role without access to case files.
 */
export async function loadVisibleCase(
	{ actor, caseId, forUpdate = false }: { actor: Actor; caseId: string; forUpdate?: boolean },
	{ db }: { db: Db }
): Promise<LoadedCase> {
	const reads = forUpdate ? undefined : caseFileReads.getStore();
	if (!reads) return loadCaseFor({ actor, caseId, forUpdate }, { db });
	const key = [actor.programmeId, actor.userId, actor.role, caseId].join('\n');
	let loaded = reads.get(key);
	if (!loaded) {
		loaded = loadCaseFor({ actor, caseId, forUpdate }, { db });
		reads.set(key, loaded);
	}
	return loaded;
}

async function loadCaseFor(
	{ actor, caseId, forUpdate }: { actor: Actor; caseId: string; forUpdate: boolean },
	{ db }: { db: Db }
): Promise<LoadedCase> {
	const access = caseAccessOf(actor);
	if (access === 'none' || !v.is(caseIdSchema, caseId)) throw caseNotFound({ caseId });
	const kase = await findCaseById({ db, programmeId: actor.programmeId, caseId, forUpdate });
	if (!kase) throw caseNotFound({ caseId });
	const villages = await findCaseTargetVillages({ db, caseId });
	if (access === 'committee') {
		const memberVillageIds = await findCommitteeVillageIds({
			db,
			programmeId: actor.programmeId,
			userId: actor.userId
		});
		const targetIds = villages.map((village) => village.id);
		if (!canCommitteeSeeCase(kase, targetIds, memberVillageIds)) throw caseNotFound({ caseId });
	}
	return { kase, access, villages };
}

/** Only staff change a case file; committee members are told why (they may see it, so not not_found). */
export function assertCanEdit(actor: Actor, access: 'staff' | 'committee'): void {
	if (access !== 'staff') throw caseEditForbidden({ userId: actor.userId });
}

export async function assertStaffUser(
	{ programmeId, userId }: { programmeId: string; userId: string },
	{ db }: { db: Db }
): Promise<void> {
	const user = await findUserInProgramme({ db, programmeId, userId });
	if (!user || (user.role !== 'admin' && user.role !== 'advisor')) {
		throw caseInvalidAdvisor({ userId });
	}
}

export async function loadPerson(
	{ actor, kase, personId }: { actor: Actor; kase: Case; personId: string },
	{ db }: { db: Db }
): Promise<Person> {
	if (!v.is(personIdSchema, personId)) throw casePersonNotFound({ personId });
	const person = await findPersonById({ db, programmeId: actor.programmeId, personId });
	if (!person || person.caseId !== kase.id) throw casePersonNotFound({ personId });
	return person;
}

/** The villages a committee member sits on, with their communes. */
export async function committeeVillages(actor: Actor, { db }: { db: Db }) {
	const ids = await findCommitteeVillageIds({ db, programmeId: actor.programmeId, userId: actor.userId });
	return findVillagesByKeys({ db, programmeId: actor.programmeId, keys: ids });
}

/**
 * Checks the village slugs or ids against the programme; reports each unknown one on
 * its field (`villages.1`) so it joins the other field errors.
 */
export async function resolveVillages(
	{ programmeId, keys }: { programmeId: string; keys: unknown },
	{ db }: { db: Db }
): Promise<{ villages: { id: string; slug: string; communeCode: string }[]; issues: FieldIssue[] }> {
	if (!Array.isArray(keys)) return { villages: [], issues: [] };
	const wanted = keys.map((key) => (typeof key === 'string' ? key.trim() : ''));
	const found = await findVillagesByKeys({ db, programmeId, keys: wanted.filter(Boolean) });
	const issues: FieldIssue[] = [];
	const villages = new Map<string, { id: string; slug: string; communeCode: string }>();
	wanted.forEach((key, index) => {
		const village = found.find((candidate) => candidate.id === key || candidate.slug === key);
		if (!village) issues.push({ field: `villages.${index}`, code: 'case.unknown_village' });
		else villages.set(village.id, village);
	});
	return { villages: [...villages.values()], issues };
}

/** Writes the case's "last changed" (and a new duplicate flag) after a change to its household. */
export async function touchCase(
	{ kase, actor, now, values = {} }: { kase: Case; actor: Actor; now: Date; values?: Partial<Case> },
	{ db }: { db: Db }
): Promise<void> {
	const updated = await updateCaseRow({
		db,
		caseId: kase.id,
		values: { ...values, updatedAt: now, updatedBy: actor.userId }
	});
	if (values.possibleDuplicateOf) {
		await recordCaseChange(
			{
				kase,
				action: 'update',
				author: auditAuthorOf(actor),
				at: now,
				before: { possibleDuplicateOf: kase.possibleDuplicateOf },
				after: { possibleDuplicateOf: updated.possibleDuplicateOf }
			},
			{ db }
		);
	}
}
