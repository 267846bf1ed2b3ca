import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import type { SurveyAnswers } from '../../db/schema/index.ts';
import type { SurveyRecord } from './integration.rules.ts';

type Rows<T> = { rows: T[] };
const rowsOf = <T>(result: unknown): T[] => (result as Rows<T>).rows;
/** A timestamp as whole milliseconds since 1970 (float8), rounded down as a JavaScript Date reads it. */
const epochMs = (column: SQL) => sql`floor(extract(epoch from ${column}) * 1000)::float8`;

/**
 * Every follow-up invitation of a programme with its answers when given, in one query (the
 * integration indicators are computed in memory from these rows, for the selected households).
 * Dates come as text and milliseconds (no date string parsed per row), in no particular order:
 * a household has one invitation per wave (survey_invitations_case_wave_unique) and the
 * indicators are counts, so no order is needed, and sorting 100,000 rows with their answers
 * would spill to disk.
 */
export async function findSurveyRecords({
	db,
	programmeId
}: {
	db: Db;
	programmeId: string;
}): Promise<SurveyRecord[]> {
	const result = await db.execute(sql`
		select i.case_id, i.wave_months, i.due_on::text as due_on,
			${epochMs(sql`i.expires_at`)} as expires_ms, ${epochMs(sql`i.answered_at`)} as answered_ms, a.answers
		from survey_invitations i
		left join survey_answers a on a.invitation_id = i.id and a.programme_id = i.programme_id
		where i.programme_id = ${programmeId}`);
	return rowsOf<Record<string, unknown>>(result).map((row) => ({
		caseId: row.case_id as string,
		waveMonths: Number(row.wave_months),
		dueOn: row.due_on as string,
		expiresAt: new Date(Number(row.expires_ms)),
		answeredAt:
			row.answered_ms === null || row.answered_ms === undefined ? null : new Date(Number(row.answered_ms)),
		answers:
			row.answers === null || row.answers === undefined
				? null
				: typeof row.answers === 'string'
					? (JSON.parse(row.answers) as SurveyAnswers)
					: (row.answers as SurveyAnswers)
	}));
}

/** The programme's wave months (follow-up settings), or null when it keeps the defaults. */
export async function findWaveMonths({
	db,
	programmeId
}: {
	db: Db;
	programmeId: string;
}): Promise<number[] | null> {
	const result = await db.execute(sql`
		select wave_months from follow_up_settings where programme_id = ${programmeId}`);
	const [row] = rowsOf<{ wave_months: unknown }>(result);
	if (!row) return null;
	const value = typeof row.wave_months === 'string' ? JSON.parse(row.wave_months) : row.wave_months;
	return Array.isArray(value) ? value.map(Number) : null;
}

/**
 * Cases whose household answered a survey that it no longer lives here, with the departure not yet
 * confirmed by an advisor (durability counts them as present until then and says so).
 */
export async function findPendingDepartureCaseIds({
	db,
	programmeId
}: {
	db: Db;
	programmeId: string;
}): Promise<string[]> {
	const result = await db.execute(sql`
		select distinct case_id from departure_reports
		where programme_id = ${programmeId} and status = 'pending'`);
	return rowsOf<{ case_id: string }>(result).map((row) => row.case_id);
}
