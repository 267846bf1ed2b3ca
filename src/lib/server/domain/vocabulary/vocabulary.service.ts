/**
 * Controlled vocabularies of a person's profile (sector, status, origin): the texts people typed as
 * "other", and mapping one of them to a known value for every person of the programme at once.
 */
import { isStaff, type Actor } from '../../auth/actor.ts';
import type { Db } from '../../db/index.ts';
import { ValidationError, parseInput } from '../../validation.ts';
import { insertAuditEntriesInBulk } from '../audit/audit.repository.ts';
import { vocabularyForbidden, vocabularyTextNotFound } from './vocabulary.errors.ts';
import { findOtherTexts, mapOtherText } from './vocabulary.repository.ts';
import {
	VOCABULARIES,
	VOCABULARY_KEYS,
	foldVocabularyText,
	keyOfText,
	type Vocabulary
} from './vocabulary.rules.ts';
import { mapOtherTextSchema, type MapOtherTextInput } from './vocabulary.schemas.ts';

/** A text typed as "other": how many persons (and households) have it, and the value its words suggest. */
export type OtherText = { text: string; persons: number; cases: number; suggestedKey: string | null };

export type VocabularyOthers = {
	vocabulary: Vocabulary;
	/** The values an advisor may map a text to (`other` excluded). */
	keys: readonly string[];
	texts: OtherText[];
};

/** The person's field holding each vocabulary's key (and `<field>Other` its text), as the audit names them. */
const PERSON_FIELDS: Record<Vocabulary, string> = {
	sector: 'sector',
	status: 'status',
	origin: 'originArea'
};

function assertCanManageVocabularies(actor: Actor): void {
	if (!isStaff(actor)) throw vocabularyForbidden({ userId: actor.userId });
}

/**
 * The texts typed as "other" in the actor's programme, per vocabulary, most frequent first;
 * spellings that differ only by accents, case or punctuation count as one text. Staff only.
 */
export async function listOtherTexts(
	{ actor }: { actor: Actor },
	{ db }: { db: Db }
): Promise<{ vocabularies: VocabularyOthers[] }> {
	assertCanManageVocabularies(actor);
	const vocabularies: VocabularyOthers[] = [];
	for (const vocabulary of VOCABULARIES) {
		const rows = await findOtherTexts({ db, programmeId: actor.programmeId, vocabulary });
		vocabularies.push({
			vocabulary,
			keys: VOCABULARY_KEYS[vocabulary].filter((key) => key !== 'other'),
			texts: rows.map((row) => ({
				text: row.text,
				persons: row.persons,
				cases: row.cases,
				suggestedKey: keyOfText(vocabulary, row.text)
			}))
		});
	}
	return { vocabularies };
}

/**
 * Maps a text typed as "other" to a known value: every person of the actor's programme with that
 * text (whatever its accents or case) gets the value, in one transaction with one audit entry
 * per person. Staff only; a text no person of the programme has answers `vocabulary.text_not_found`.
 */
export async function mapOtherTextToKey(
	{ actor, input }: { actor: Actor; input: MapOtherTextInput },
	{ db }: { db: Db }
): Promise<{ vocabulary: Vocabulary; key: string; persons: number }> {
	assertCanManageVocabularies(actor);
	const data = parseInput(mapOtherTextSchema, input);
	const keys: readonly string[] = VOCABULARY_KEYS[data.vocabulary];
	if (!keys.includes(data.key)) throw new ValidationError([{ field: 'key', code: 'vocabulary.invalid_key' }]);
	const folded = foldVocabularyText(data.text);
	const column = PERSON_FIELDS[data.vocabulary];
	return db.transaction(async (tx) => {
		const changed = await mapOtherText({
			db: tx,
			programmeId: actor.programmeId,
			vocabulary: data.vocabulary,
			folded,
			key: data.key
		});
		if (changed.length === 0) throw vocabularyTextNotFound({ vocabulary: data.vocabulary });
		const at = new Date();
		await insertAuditEntriesInBulk({
			db: tx,
			entries: changed.map((person) => ({
				programmeId: actor.programmeId,
				entityType: 'person' as const,
				entityId: person.id,
				caseId: person.caseId,
				action: 'update' as const,
				actorId: actor.userId,
				actorLabel: actor.name || actor.email,
				at,
				before: { [column]: 'other', [`${column}Other`]: person.text },
				after: { [column]: data.key, [`${column}Other`]: null }
			}))
		});
		return { vocabulary: data.vocabulary, key: data.key, persons: changed.length };
	});
}
