import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import type { SurveyAnswerValue } from '../../db/schema/index.ts';
import type { SurveyTallies, WaveTally } from './integration.rules.ts';
import type { ObservatoryPeriod } from './observatory.rules.ts';

type Rows<T> = { rows: T[] };
const rowsOf = <T>(result: unknown): T[] => (result as Rows<T>).rows;
/** A timestamp as whole milliseconds since 1970 (float8), rounded down as a JavaScript Date reads it. */
const epochMs = (column: SQL) => sql`floor(extract(epoch from ${column}) * 1000)::float8`;

/**
 * The answer keys the integration indicators read, per wave (the attribution question is read per
 * household: findAttributionAnswers).
 */
export const TALLIED_ANSWER_KEYS = [
	'living_here',
	'business_active',
	'local_clients_share',
	'jobs_created',
	'associations_joined',
	'partner_job',
	'children_schooling',
	'intention_to_stay',
	'satisfaction'
] as const;

/**
 * The invitations the integration section counts: the programme's, due in a year of the period,
 * of the selected households (`caseIds`; null: every household of the programme, no list shipped).
 */
function keptInvitations({
	programmeId,
	period,
	caseIds
}: {
	programmeId: string;
	period: ObservatoryPeriod;
	caseIds: readonly string[] | null;
}): SQL {
	// The due day's year in the period, as a range of days (the planner estimates it, unlike a year
	// computed per row).
	const conditions = [
		sql`i.programme_id = ${programmeId}`,
		sql`i.due_on >= make_date(${period.from}::int, 1, 1)`,
		sql`i.due_on < make_date(${period.to + 1}::int, 1, 1)`
	];
	// One parameter (a JSON array), never one per household: a filter may select 100,000 of them.
	if (caseIds !== null)
		conditions.push(sql`i.case_id in (select jsonb_array_elements_text(${JSON.stringify(caseIds)}::jsonb))`);
	return sql.join(conditions, sql` and `);
}

/**
 * What the integration indicators count, aggregated where the data is (no survey record shipped
 * to Node, 100,000 households: see bench/observatory.ts), for the invitations of keptInvitations:
 * - per wave: invitations, answered ones, open ones (not answered and expiring after `now`, to the
 *   millisecond as a JavaScript Date reads it);
 * - per wave and answer key of TALLIED_ANSWER_KEYS: each distinct answer value (as stored, JSON
 *   text) with the number of answered invitations giving it; the rules read each value once, so
 *   that values outside a question's options count exactly as they would one by one;
 * - the households invited at least once.
 * The three queries run concurrently where the driver allows it (a pool on PostgreSQL).
 */
export async function findSurveyTallies({
	db,
	programmeId,
	period,
	caseIds,
	now
}: {
	db: Db;
	programmeId: string;
	period: ObservatoryPeriod;
	caseIds: readonly string[] | null;
	now: Date;
}): Promise<SurveyTallies> {
	const kept = keptInvitations({ programmeId, period, caseIds });
	// One pass over the answered invitations: a grouping set per answer key (wave, value as JSON
	// text), hashed together; `grouping(…)` tells which key a row counts (bit i clear: key i).
	// Keys written in the statement, not as parameters: grouping() and the grouping sets must name
	// the same expressions (they are constants of this file).
	const values = TALLIED_ANSWER_KEYS.map((key) => sql.raw(`(a.answers -> '${key}')::text`));
	const [waves, answers, households] = await Promise.all([
		db.execute(sql`
			select i.wave_months, count(*)::int as invited, count(i.answered_at)::int as answered,
				(count(*) filter (where i.answered_at is null and ${epochMs(sql`i.expires_at`)} > ${now.getTime()}))::int as open
			from survey_invitations i
			where ${kept}
			group by i.wave_months`),
		db.execute(sql`
			select i.wave_months, grouping(${sql.join(values, sql`, `)}) as unset,
				${sql.join(
					values.map((value, index) => sql`${value} as ${sql.raw(`v${index}`)}`),
					sql`, `
				)}, count(*)::int as count
			from survey_answers a
			join survey_invitations i on i.id = a.invitation_id and i.programme_id = a.programme_id
			where ${kept} and a.programme_id = ${programmeId} and i.answered_at is not null
			group by grouping sets (${sql.join(
				values.map((value) => sql`(i.wave_months, ${value})`),
				sql`, `
			)})`),
		db.execute(sql`
			select count(*)::int as households
			from (select i.case_id from survey_invitations i where ${kept} group by i.case_id) invited`)
	]);
	const byWave = new Map<number, WaveTally>();
	for (const row of rowsOf<Record<string, unknown>>(waves)) {
		const waveMonths = Number(row.wave_months);
		byWave.set(waveMonths, {
			waveMonths,
			invited: Number(row.invited),
			answered: Number(row.answered),
			open: Number(row.open),
			answers: {}
		});
	}
	const last = TALLIED_ANSWER_KEYS.length - 1;
	for (const row of rowsOf<Record<string, unknown>>(answers)) {
		const wave = byWave.get(Number(row.wave_months));
		const index = TALLIED_ANSWER_KEYS.findIndex((_, i) => (Number(row.unset) & (1 << (last - i))) === 0);
		const value = row[`v${index}`] as string | null;
		// null: answers without this key (no answer to the question).
		if (!wave || index < 0 || value === null) continue;
		(wave.answers[TALLIED_ANSWER_KEYS[index]] ??= []).push({
			value: JSON.parse(value) as SurveyAnswerValue,
			count: Number(row.count)
		});
	}
	return {
		waves: [...byWave.values()],
		householdsInvited: Number(rowsOf<{ households: unknown }>(households)[0]?.households ?? 0)
	};
}

/**
 * The answers to the attribution question (`key`) at wave `waveMonths` of the invitations of
 * keptInvitations, one per household, when the answer is one of `allowed` (a string): a few
 * thousand short rows, paired in memory with each household's answer at intake.
 */
export async function findAttributionAnswers({
	db,
	programmeId,
	period,
	caseIds,
	waveMonths,
	key,
	allowed
}: {
	db: Db;
	programmeId: string;
	period: ObservatoryPeriod;
	caseIds: readonly string[] | null;
	waveMonths: number;
	key: string;
	allowed: readonly string[];
}): Promise<{ caseId: string; answer: string }[]> {
	// The wave's answered invitations first, materialised: the planner cannot estimate the answer
	// conditions (one row expected for thousands), and without this picks one index lookup per
	// answer of the programme (77,000 at 100,000 households) instead of one hash join.
	const result = await db.execute(sql`
		with invited as materialized (
			select i.id, i.case_id
			from survey_invitations i
			where ${keptInvitations({ programmeId, period, caseIds })} and i.wave_months = ${waveMonths}
				and i.answered_at is not null
		)
		select i.case_id, a.answers ->> ${key} as answer
		from invited i
		join survey_answers a on a.invitation_id = i.id and a.programme_id = ${programmeId}
		where jsonb_typeof(a.answers -> ${key}) = 'string'
			and (a.answers ->> ${key}) in (${sql.join(
				allowed.map((value) => sql`${value}`),
				sql`, `
			)})`);
	return rowsOf<{ case_id: string; answer: string }>(result).map((row) => ({
		caseId: row.case_id,
		answer: row.answer
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
