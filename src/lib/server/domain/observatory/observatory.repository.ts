import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import type { CaseSource, PersonStatus, YesNoUnsure } from '../../db/schema/index.ts';
import type { ObservatoryCase } from './observatory.types.ts';

type Rows<T> = { rows: T[] };

/**
 * One case as findObservatoryCases reads it: a JSON array (one text column per row, parsed by
 * JSON.parse, instead of some 30 columns each decoded by the driver), in the order of its select
 * list; the stage entries (milliseconds) from index ENTRIES on.
 */
type CaseRow = [
	id: string,
	source: CaseSource,
	stage: string,
	advisorId: string | null,
	contactMs: number,
	installedOn: string | null,
	installedCommuneCode: string | null,
	leftOn: string | null,
	leftReason: string | null,
	abandonedReason: string | null,
	businessCreatedOn: string | null,
	businessClosedOn: string | null,
	lastSignOfLifeMs: number | null,
	wouldMoveWithoutProgramme: YesNoUnsure | null,
	isDemo: boolean,
	researchConsent: boolean,
	hasCandidate: boolean,
	status: PersonStatus | null,
	sector: string | null,
	pcs: string | null,
	birthYear: number | null,
	originCountry: string | null,
	originArea: string | null,
	householdSize: number,
	children: number,
	...entries: (number | null)[]
];
const ENTRIES = 25;
const rowsOf = <T>(result: unknown): T[] => (result as Rows<T>).rows;
/** A timestamp as whole milliseconds since 1970 (float8), rounded down as a JavaScript Date reads it. */
const epochMs = (column: SQL) => sql`floor(extract(epoch from ${column}) * 1000)::float8`;

/**
 * Every case of a programme with what the observatory reads, one row per case: the candidate's
 * profile (the first person with the `candidate` role), the household's composition and the
 * first entry into each of `stages`, pivoted in SQL from the stage history (read from
 * `case_stage_changes_programme_case_idx` alone, in case order) rather than shipped as one row or
 * one JSON object per entry. Calendar days come as text and timestamps as milliseconds, so no
 * date or JSON is parsed per row. Indicators are computed in memory from these cases, so that
 * every page, export and the API count the same way (100,000 cases: see bench/observatory.ts).
 * Cases come in id order: sums of floating-point figures (log-rank tests) then never depend on
 * the plan the database picks. Each case comes as one JSON array (CaseRow): decoding 30 columns
 * per row in the driver cost more than the query.
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
	const result = await db.execute(sql`
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
		),
		entries as (
			select ${sql.join([sql`case_id`, ...pivot], sql`, `)}
			from case_stage_changes
			where programme_id = ${programmeId}
			group by case_id
		)
		select json_build_array(${sql.join(
			[
				sql`c.id, c.source, c.stage, c.advisor_id, ${epochMs(sql`c.created_at`)}`,
				sql`c.installed_on::text, c.installed_commune_code, c.left_on::text`,
				sql`c.left_reason, c.abandoned_reason, c.business_created_on::text`,
				sql`c.business_closed_on::text, ${epochMs(sql`c.last_sign_of_life_at`)}`,
				sql`c.would_move_without_programme, c.is_demo`,
				sql`coalesce((c.consents ->> 'research')::boolean, false)`,
				sql`k.case_id is not null, k.status, k.sector, k.pcs, k.birth_year`,
				sql`k.origin_country, k.origin_area`,
				sql`coalesce(h.size, 0), coalesce(h.children, 0)`,
				...columns.map((column) => sql.raw(`e.${column}`))
			],
			sql`, `
		)})::text as r
		from cases c
		left join candidates k on k.case_id = c.id
		left join households h on h.case_id = c.id
		left join entries e on e.case_id = c.id
		where c.programme_id = ${programmeId}
		order by c.id`);
	return rowsOf<{ r: string }>(result).map(({ r }) => {
		const row = JSON.parse(r) as CaseRow;
		const stageEntries: Record<string, Date> = {};
		for (let i = 0; i < keys.length; i++) {
			const at = row[ENTRIES + i] as number | null;
			if (at !== null) stageEntries[keys[i]] = new Date(at);
		}
		const size = Math.max(1, row[23]);
		const children = Math.min(row[24], size - 1);
		const lastSignOfLife = row[12];
		return {
			id: row[0],
			source: row[1],
			stage: row[2],
			advisorId: row[3],
			contactAt: new Date(row[4]),
			stageEntries,
			installedOn: row[5],
			installedCommuneCode: row[6],
			leftOn: row[7],
			leftReason: row[8],
			abandonedReason: row[9],
			businessCreatedOn: row[10],
			businessClosedOn: row[11],
			lastSignOfLifeAt: lastSignOfLife === null ? null : new Date(lastSignOfLife),
			wouldMoveWithoutProgramme: row[13],
			researchConsent: row[15],
			candidate: row[16]
				? {
						status: row[17],
						sector: row[18],
						pcs: row[19],
						birthYear: row[20] === null ? null : Number(row[20]),
						originCountry: row[21],
						originArea: row[22]
					}
				: null,
			householdSize: size,
			adults: size - children,
			children,
			isDemo: row[14]
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
