import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import type { CaseSource, PersonStatus, YesNoUnsure } from '../../db/schema/index.ts';
import type { ObservatoryCase } from './observatory.types.ts';

type Rows<T> = { rows: T[] };
/** The rows of a raw query's result (shared with comparison.repository.ts). */
export const rowsOf = <T>(result: unknown): T[] => (result as Rows<T>).rows;
/** A timestamp as whole milliseconds since 1970 (float8), rounded down as a JavaScript Date reads it. */
export const epochMs = (column: SQL) => sql`floor(extract(epoch from ${column}) * 1000)::float8`;
export const dateOfMs = (value: unknown): Date | null =>
	value === null || value === undefined ? null : new Date(Number(value));

/**
 * Every case of a programme with what the observatory reads, one row per case: the candidate's
 * profile (the first person with the `candidate` role), the household's composition and the
 * first entry into each of `stages`, pivoted in SQL from the stage history (read from
 * `case_stage_changes_programme_case_idx` alone, in case order) rather than shipped as one row or
 * one JSON object per entry. Calendar days come as text and timestamps as milliseconds, so no
 * date or JSON is parsed per row. Indicators are computed in memory from these cases, so that
 * every page, export and the API count the same way (100,000 cases: see bench/observatory.ts).
 * Cases come in id order: sums of floating-point figures (log-rank tests) then never depend on
 * the plan the database picks.
 *
 * Two queries run at once where the driver allows it (a pool on PostgreSQL: two backends, two
 * cores): the cases with their stage entries, and the households (persons) per case; they are
 * paired by case id, so a case written between the two reads is read without its household
 * (as a section reading its own snapshot would). PGlite runs them one after the other.
 *
 * `stages`: the stage keys whose first entry the rules read (observatoryStageKeys: the
 * pipeline's stages and exits and the milestone keys); entries into other stages are not loaded.
 */
export async function findObservatoryCases({
	db,
	programmeId,
	stages
}: {
	db: Db;
	programmeId: string;
	stages: readonly string[];
}): Promise<ObservatoryCase[]> {
	const keys = [...new Set(stages)];
	const columns = keys.map((_, i) => `e${i}`);
	const pivot = keys.map(
		(stage, i) =>
			sql`${epochMs(sql`min(changed_at) filter (where to_stage = ${stage})`)} as ${sql.raw(columns[i])}`
	);
	const [casesResult, householdsResult] = await Promise.all([
		db.execute(sql`
			with entries as (
				select ${sql.join([sql`case_id`, ...pivot], sql`, `)}
				from case_stage_changes
				where programme_id = ${programmeId}
				group by case_id
			)
			select ${sql.join(
				[
					sql`c.id, c.source, c.stage, c.advisor_id, ${epochMs(sql`c.created_at`)} as contact_ms`,
					sql`c.installed_on::text as installed_on, c.installed_commune_code, c.left_on::text as left_on`,
					sql`c.left_reason, c.abandoned_reason, c.business_created_on::text as business_created_on`,
					sql`c.business_closed_on::text as business_closed_on`,
					sql`${epochMs(sql`c.last_sign_of_life_at`)} as last_sign_of_life_ms`,
					sql`c.would_move_without_programme, c.is_demo`,
					sql`coalesce((c.consents ->> 'research')::boolean, false) as research_consent`,
					...columns.map((column) => sql.raw(`e.${column}`))
				],
				sql`, `
			)}
			from cases c
			left join entries e on e.case_id = c.id
			where c.programme_id = ${programmeId}
			order by c.id`),
		db.execute(sql`
			with candidates as (
				select distinct on (case_id) case_id, status, sector, pcs, birth_year, origin_country, origin_area
				from persons
				where programme_id = ${programmeId} and household_role = 'candidate'
				order by case_id, created_at, id
			),
			households as (
				select case_id, count(*)::int as size,
					(count(*) filter (where household_role = 'child'))::int as children
				from persons
				where programme_id = ${programmeId}
				group by case_id
			)
			select h.case_id, h.size, h.children, k.case_id is not null as has_candidate, k.status, k.sector,
				k.pcs, k.birth_year, k.origin_country, k.origin_area
			from households h
			left join candidates k on k.case_id = h.case_id`)
	]);
	const households = new Map<string, Record<string, unknown>>();
	for (const row of rowsOf<Record<string, unknown>>(householdsResult))
		households.set(row.case_id as string, row);
	return rowsOf<Record<string, unknown>>(casesResult).map((row) => {
		const stageEntries: Record<string, Date> = {};
		for (let i = 0; i < keys.length; i++) {
			const at = dateOfMs(row[columns[i]]);
			if (at) stageEntries[keys[i]] = at;
		}
		const household = households.get(row.id as string);
		const size = Math.max(1, Number(household?.size ?? 0));
		const children = Math.min(Number(household?.children ?? 0), size - 1);
		return {
			id: row.id as string,
			source: row.source as CaseSource,
			stage: row.stage as string,
			advisorId: (row.advisor_id as string | null) ?? null,
			contactAt: new Date(Number(row.contact_ms)),
			stageEntries,
			installedOn: (row.installed_on as string | null) ?? null,
			installedCommuneCode: (row.installed_commune_code as string | null) ?? null,
			leftOn: (row.left_on as string | null) ?? null,
			leftReason: (row.left_reason as string | null) ?? null,
			abandonedReason: (row.abandoned_reason as string | null) ?? null,
			businessCreatedOn: (row.business_created_on as string | null) ?? null,
			businessClosedOn: (row.business_closed_on as string | null) ?? null,
			lastSignOfLifeAt: dateOfMs(row.last_sign_of_life_ms),
			wouldMoveWithoutProgramme: (row.would_move_without_programme as YesNoUnsure | null) ?? null,
			researchConsent: Boolean(row.research_consent),
			candidate: household?.has_candidate
				? {
						status: (household.status as PersonStatus | null) ?? null,
						sector: (household.sector as string | null) ?? null,
						pcs: (household.pcs as string | null) ?? null,
						birthYear: household.birth_year === null ? null : Number(household.birth_year),
						originCountry: (household.origin_country as string | null) ?? null,
						originArea: (household.origin_area as string | null) ?? null
					}
				: null,
			householdSize: size,
			adults: size - children,
			children,
			isDemo: Boolean(row.is_demo)
		};
	});
}

/** Member profiles of the programme with their creation date (flows count new members per year). */
export async function findMemberJoinDates({
	db,
	programmeId
}: {
	db: Db;
	programmeId: string;
}): Promise<{ caseId: string | null; joinedAt: Date }[]> {
	const result = await db.execute(sql`
		select case_id, created_at from member_profiles where programme_id = ${programmeId} order by created_at`);
	return rowsOf<Record<string, unknown>>(result).map((row) => ({
		caseId: (row.case_id as string | null) ?? null,
		joinedAt: new Date(row.created_at as string)
	}));
}

/** Names of the programme's advisors (flows by advisor). */
export async function findAdvisorNames({
	db,
	programmeId
}: {
	db: Db;
	programmeId: string;
}): Promise<Map<string, string>> {
	const result = await db.execute(sql`
		select u.id, u.name from users u join memberships m on m.user_id = u.id
		where m.programme_id = ${programmeId} and m.role in ('admin', 'advisor')`);
	return new Map(rowsOf<{ id: string; name: string }>(result).map((row) => [row.id, row.name]));
}

/** What the filter form offers: the first year with a contact, the sectors recorded, the communes of installation. */
export async function findFilterOptions({ db, programmeId }: { db: Db; programmeId: string }): Promise<{
	firstYear: number | null;
	sectors: string[];
	communes: { code: string; name: string }[];
}> {
	const years = await db.execute(sql`
		select min(extract(year from created_at))::int as first_year from cases where programme_id = ${programmeId}`);
	const sectors = await db.execute(sql`
		select distinct trim(sector) as sector from persons
		where programme_id = ${programmeId} and household_role = 'candidate' and trim(coalesce(sector, '')) <> ''
		order by 1 limit 200`);
	const communes = await db.execute(sql`
		select distinct m.code, m.name from cases c join communes m on m.code = c.installed_commune_code
		where c.programme_id = ${programmeId}
		order by m.name, m.code`);
	const first = rowsOf<{ first_year: number | null }>(years)[0]?.first_year;
	return {
		firstYear: first === null || first === undefined ? null : Number(first),
		sectors: rowsOf<{ sector: string }>(sectors).map((row) => row.sector),
		communes: rowsOf<{ code: string; name: string }>(communes)
	};
}
