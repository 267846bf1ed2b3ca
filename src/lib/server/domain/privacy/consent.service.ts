/**
 * Consent records: one row per person, purpose and text version, withdrawn by the person from
 * their own space. The case's `consents` column stays the current state every permission check
 * reads (committee and partner sharing, contact details, research): recording and withdrawing
 * here keep it in step, in the same transaction.
 *
 * This file imports no other service of the area, so the case intake can call it without a loop.
 */
import * as v from 'valibot';
import type { Actor } from '../../auth/actor.ts';
import { isStaff } from '../../auth/actor.ts';
import type { Db } from '../../db/index.ts';
import type { CaseConsents, Consent, ConsentPurpose, ConsentSource } from '../../db/schema/index.ts';
import { createLogger } from '../../logger.ts';
import { auditAuthorOf, recordCaseChange } from '../audit/audit.service.ts';
import { findPersonById } from '../case/case-household.repository.ts';
import { findCasePersons, updateCase } from '../case/case.repository.ts';
import {
	findConsentForUpdate,
	findConsents,
	findPersonCaseForUpdate,
	findPersonIdsOfUser,
	insertConsents,
	setConsentWithdrawn,
	withdrawPersonConsents
} from './consent.repository.ts';
import {
	privacyConsentAlreadyWithdrawn,
	privacyConsentNotFound,
	privacyPersonNotFound
} from './privacy.errors.ts';
import { CASE_CONSENT_KEYS, CONSENT_TEXT_VERSION, consentChanges, givenPurposes } from './privacy.rules.ts';
import { consentIdSchema } from './privacy.schemas.ts';

const log = createLogger({ namespace: 'privacy:consent' });

type Deps = { db: Db; now?: Date };
type ConsentState = Pick<CaseConsents, 'contact' | 'shareWithCommittees' | 'shareWithPartners' | 'research'>;

/**
 * Records the consents a household gave (a row per purpose agreed to), on its candidate, in
 * the caller's transaction. Called by the apply form, an advisor's new case and the demo seed.
 */
export async function recordGivenConsents(
	{
		programmeId,
		personId,
		consents,
		source,
		recordedBy = null,
		at
	}: {
		programmeId: string;
		personId: string;
		consents: ConsentState;
		source: ConsentSource;
		recordedBy?: string | null;
		at: Date;
	},
	{ db }: { db: Db }
): Promise<Consent[]> {
	return insertConsents({
		db,
		values: givenPurposes(consents).map((purpose) => ({
			programmeId,
			personId,
			purpose,
			textVersion: CONSENT_TEXT_VERSION,
			givenAt: at,
			source,
			recordedBy
		}))
	});
}

/**
 * Records consents given by an account with no household (a member invited without a case),
 * in the caller's transaction.
 */
export async function recordAccountConsents(
	{
		programmeId,
		userId,
		purposes,
		source,
		at
	}: { programmeId: string; userId: string; purposes: ConsentPurpose[]; source: ConsentSource; at: Date },
	{ db }: { db: Db }
): Promise<Consent[]> {
	return insertConsents({
		db,
		values: purposes.map((purpose) => ({
			programmeId,
			userId,
			purpose,
			textVersion: CONSENT_TEXT_VERSION,
			givenAt: at,
			source
		}))
	});
}

/**
 * Records what an edit of the case's consents changed: a new row for each purpose now given,
 * a withdrawal for each purpose no longer given. In the caller's transaction.
 */
export async function recordConsentChanges(
	{
		programmeId,
		personId,
		before,
		after,
		source,
		recordedBy,
		at
	}: {
		programmeId: string;
		personId: string;
		before: ConsentState;
		after: ConsentState;
		source: ConsentSource;
		recordedBy: string | null;
		at: Date;
	},
	{ db }: { db: Db }
): Promise<void> {
	const { given, withdrawn } = consentChanges(before, after);
	await withdrawPersonConsents({ db, programmeId, personId, purposes: withdrawn, at });
	await insertConsents({
		db,
		values: given.map((purpose) => ({
			programmeId,
			personId,
			purpose,
			textVersion: CONSENT_TEXT_VERSION,
			givenAt: at,
			source,
			recordedBy
		}))
	});
}

/** A person's consent history, for the case page (staff of the programme only). */
export async function listPersonConsents(
	{ actor, personId }: { actor: Actor; personId: string },
	{ db }: { db: Db }
): Promise<{ consents: Consent[] }> {
	if (!isStaff(actor)) throw privacyPersonNotFound({ personId });
	const person = await findPersonById({ db, programmeId: actor.programmeId, personId });
	if (!person) throw privacyPersonNotFound({ personId });
	return { consents: await findConsents({ db, programmeId: actor.programmeId, personIds: [person.id] }) };
}

/** The signed-in person's own consents: those of the household persons they stand for and of their account. */
export async function listOwnConsents(
	{ actor }: { actor: Actor },
	{ db }: { db: Db }
): Promise<{ consents: Consent[]; personIds: string[] }> {
	const personIds = await findPersonIdsOfUser({ db, programmeId: actor.programmeId, userId: actor.userId });
	const consents = await findConsents({
		db,
		programmeId: actor.programmeId,
		personIds,
		userIds: [actor.userId]
	});
	return { consents, personIds };
}

/**
 * The person withdraws one of their consents from their own space. It takes effect at once:
 * the case's current consents lose the purpose (committees stop seeing the household, partners
 * its details, research its answers), with an audit entry, in one transaction.
 */
export async function withdrawOwnConsent(
	{ actor, consentId }: { actor: Actor; consentId: string },
	{ db, now = new Date() }: Deps
): Promise<{ consent: Consent }> {
	if (!v.is(consentIdSchema, consentId)) throw privacyConsentNotFound({ consentId });
	return db.transaction(async (tx) => {
		const consent = await findConsentForUpdate({ db: tx, programmeId: actor.programmeId, consentId });
		if (!consent) throw privacyConsentNotFound({ consentId });
		const ownPersons = await findPersonIdsOfUser({
			db: tx,
			programmeId: actor.programmeId,
			userId: actor.userId
		});
		const isOwn =
			consent.userId === actor.userId || (consent.personId !== null && ownPersons.includes(consent.personId));
		if (!isOwn) throw privacyConsentNotFound({ consentId });
		if (consent.withdrawnAt) throw privacyConsentAlreadyWithdrawn({ consentId });
		const withdrawn = await setConsentWithdrawn({ db: tx, consentId: consent.id, at: now });
		if (consent.personId) {
			const found = await findPersonCaseForUpdate({
				db: tx,
				programmeId: actor.programmeId,
				personId: consent.personId
			});
			const key = CASE_CONSENT_KEYS[consent.purpose];
			if (found && found.kase.consents[key] === true) {
				const { kase } = found;
				const consents = { ...kase.consents, [key]: false, at: now.toISOString() };
				const updated = await updateCase({ db: tx, caseId: kase.id, values: { consents, updatedAt: now } });
				await recordCaseChange(
					{ kase, action: 'update', author: auditAuthorOf(actor), at: now, before: kase, after: updated },
					{ db: tx }
				);
			}
		}
		log.info({ consentId, userId: actor.userId, purpose: consent.purpose }, 'Consent withdrawn');
		return { consent: withdrawn };
	});
}

/** The consent history of every person of a case, for the case page (staff of the programme only). */
export async function listCaseConsents(
	{ actor, caseId }: { actor: Actor; caseId: string },
	{ db }: { db: Db }
): Promise<{ consents: Consent[] }> {
	if (!isStaff(actor)) return { consents: [] };
	const persons = await findCasePersons({ db, caseId });
	const own = persons.filter((person) => person.programmeId === actor.programmeId).map((person) => person.id);
	return { consents: await findConsents({ db, programmeId: actor.programmeId, personIds: own }) };
}
