import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import { SEARCH_FOLD_FROM, SEARCH_FOLD_TO } from '../../../domain/search.ts';
import type { Vocabulary } from './vocabulary.rules.ts';

/** Every query here filters by programme_id. */

const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;

/** The columns of a vocabulary in `persons`: the key, and the text kept beside `other`. */
const COLUMNS: Record<Vocabulary, { key: SQL; other: SQL }> = {
	sector: { key: sql.raw('sector'), other: sql.raw('sector_other') },
	status: { key: sql.raw('status'), other: sql.raw('status_other') },
	origin: { key: sql.raw('origin_area'), other: sql.raw('origin_area_other') }
};

/** Must stay in sync with foldVocabularyText (vocabulary.rules.ts): same letters, same separators. */
const foldedSql = (column: SQL) =>
	sql`btrim(regexp_replace(translate(replace(replace(lower(${column}), 'œ', 'oe'), 'æ', 'ae'), ${SEARCH_FOLD_FROM}, ${SEARCH_FOLD_TO}), '[^a-z0-9]+', ' ', 'g'))`;

/** One text typed as "other" (its spellings folded alike, shown as first typed), with the persons who have it. */
export type OtherTextRow = { folded: string; text: string; persons: number; cases: number };

/** The texts typed as "other" in a programme, most frequent first (spellings folded together). */
export async function findOtherTexts({
	db,
	programmeId,
	vocabulary
}: {
	db: Db;
	programmeId: string;
	vocabulary: Vocabulary;
}): Promise<OtherTextRow[]> {
	const { key, other } = COLUMNS[vocabulary];
	const result = await db.execute(sql`
		select ${foldedSql(other)} as folded, (array_agg(btrim(${other}) order by created_at, id))[1] as text,
			count(*)::int as persons, count(distinct case_id)::int as cases
		from persons
		where programme_id = ${programmeId} and ${key} = 'other' and btrim(coalesce(${other}, '')) <> ''
		group by 1
		order by 3 desc, 1
	`);
	return rowsOf<OtherTextRow>(result);
}

/**
 * Gives every person of the programme whose "other" text folds to `folded` the key instead, and
 * clears the text. Returns each changed person with the text it had, for the audit.
 */
export async function mapOtherText({
	db,
	programmeId,
	vocabulary,
	folded,
	key
}: {
	db: Db;
	programmeId: string;
	vocabulary: Vocabulary;
	folded: string;
	key: string;
}): Promise<{ id: string; caseId: string; text: string }[]> {
	const { key: keyColumn, other } = COLUMNS[vocabulary];
	const result = await db.execute(sql`
		with matched as (
			select id, ${other} as text from persons
			where programme_id = ${programmeId} and ${keyColumn} = 'other'
				and ${foldedSql(other)} = ${folded}
		)
		update persons as p set ${keyColumn} = ${key}, ${other} = null, updated_at = now()
		from matched
		where p.id = matched.id and p.programme_id = ${programmeId}
		returning p.id, p.case_id as "caseId", matched.text
	`);
	return rowsOf<{ id: string; caseId: string; text: string }>(result);
}
