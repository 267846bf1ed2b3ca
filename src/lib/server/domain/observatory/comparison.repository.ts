import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import {
	programmeBudgetsTable,
	programmeSettingsTable,
	programmesTable,
	type Programme
} from '../../db/schema/index.ts';
import type { ComparisonBudget, ComparisonInputs, ComparisonInstalledCase } from './comparison.rules.ts';
import { dateOfMs, epochMs, rowsOf } from './observatory.repository.ts';

export type ComparisonProgrammeRow = {
	id: string;
	slug: string;
	name: string;
	isDemo: boolean;
	inComparisonSince: Date | null;
	isInComparison: boolean;
	pipeline: Programme['pipeline'];
	/** The programme's minimum cell size k (programme settings), null when never set. */
	minCellSize: number | null;
};

const programmeColumns = {
	id: programmesTable.id,
	slug: programmesTable.slug,
	name: programmesTable.name,
	isDemo: programmesTable.isDemo,
	inComparisonSince: programmesTable.inComparisonSince,
	isInComparison: programmesTable.isInComparison,
	pipeline: programmesTable.pipeline,
	minCellSize: programmeSettingsTable.minCellSize
};

/**
 * The programmes that opted in to the comparison, with their pipeline and k. A read across
 * programmes on purpose (like the jobs that scan every programme): the comparison shows each
 * opted-in programme's indicators, by name, to the staff of the other opted-in programmes;
 * programmes that did not opt in are never read.
 */
export async function findComparisonProgrammes({ db }: { db: Db }): Promise<ComparisonProgrammeRow[]> {
	return db
		.select(programmeColumns)
		.from(programmesTable)
		.leftJoin(programmeSettingsTable, eq(programmeSettingsTable.programmeId, programmesTable.id))
		.where(eq(programmesTable.isInComparison, true))
		.orderBy(asc(programmesTable.name));
}

/** One programme as the comparison reads it (the reader's own, opted in or not). */
export async function findComparisonProgramme({
	db,
	programmeId
}: {
	db: Db;
	programmeId: string;
}): Promise<ComparisonProgrammeRow | null> {
	const [row] = await db
		.select(programmeColumns)
		.from(programmesTable)
		.leftJoin(programmeSettingsTable, eq(programmeSettingsTable.programmeId, programmesTable.id))
		.where(eq(programmesTable.id, programmeId));
	return row ?? null;
}

/** The budgets entered by each of `programmeIds`, by year. */
export async function findComparisonBudgets({
	db,
	programmeIds
}: {
	db: Db;
	programmeIds: readonly string[];
}): Promise<Map<string, ComparisonBudget[]>> {
	const budgets = new Map<string, ComparisonBudget[]>(programmeIds.map((id) => [id, []]));
	if (programmeIds.length === 0) return budgets;
	const rows = await db
		.select({
			programmeId: programmeBudgetsTable.programmeId,
			year: programmeBudgetsTable.year,
			amountCents: programmeBudgetsTable.amountCents
		})
		.from(programmeBudgetsTable)
		.where(inArray(programmeBudgetsTable.programmeId, [...programmeIds]))
		.orderBy(programmeBudgetsTable.year);
	for (const row of rows)
		budgets.get(row.programmeId)?.push({ year: row.year, amountCents: row.amountCents });
	return budgets;
}

/**
 * What the comparison computes from (comparison.rules.ts `ComparisonInputs`), for every programme
 * of `programmes` in two queries instead of the observatory's whole load per programme (100
 * programmes, 400,000 cases: bench/national.ts):
 *
 * - the households per programme and UTC year of first contact (counted in SQL);
 * - the households with an installation date (installed_on, or a first entry into one of the
 *   programme's `installedStages`: 'installed' and any stage its pipeline marks as the
 *   installation milestone, as withMilestoneEntries reads them), one row each with the contact,
 *   the installation day or entry, the departure and the last sign of life. Other stage entries,
 *   the household and the profile are not read: no indicator of the comparison uses them.
 *
 * Each programme's installed households come in id order (code points). The two queries run at
 * once where the driver allows it.
 */
export async function findComparisonInputs({
	db,
	programmes
}: {
	db: Db;
	programmes: readonly { id: string; installedStages: readonly string[] }[];
}): Promise<Map<string, ComparisonInputs>> {
	const inputs = new Map<
		string,
		{ caseCount: number; contactsByYear: Map<number, number>; installed: ComparisonInstalledCase[] }
	>(programmes.map((p) => [p.id, { caseCount: 0, contactsByYear: new Map(), installed: [] }]));
	if (programmes.length === 0) return inputs;
	const ids = sql.join(
		programmes.map((p) => sql`${p.id}`),
		sql`, `
	);
	const installedKeys = sql.join(
		programmes.flatMap((p) => [...new Set(p.installedStages)].map((stage) => sql`(${p.id}, ${stage})`)),
		sql`, `
	);
	const [yearsResult, installedResult] = await Promise.all([
		db.execute(sql`
			select programme_id, extract(year from created_at at time zone 'UTC')::int as year, count(*)::int as n
			from cases
			where programme_id in (${ids})
			group by 1, 2`),
		db.execute(sql`
			with entries as (
				select case_id, min(changed_at) as entered_at
				from case_stage_changes
				where (programme_id, to_stage) in (${installedKeys})
				group by case_id
			)
			select c.programme_id, c.id, ${epochMs(sql`c.created_at`)} as contact_ms,
				c.installed_on::text as installed_on, ${epochMs(sql`e.entered_at`)} as installed_ms,
				c.left_on::text as left_on, ${epochMs(sql`c.last_sign_of_life_at`)} as last_sign_of_life_ms
			from cases c
			left join entries e on e.case_id = c.id
			where c.programme_id in (${ids}) and (c.installed_on is not null or e.entered_at is not null)`)
	]);
	for (const row of rowsOf<{ programme_id: string; year: number; n: number }>(yearsResult)) {
		const programme = inputs.get(row.programme_id)!;
		programme.caseCount += Number(row.n);
		programme.contactsByYear.set(Number(row.year), Number(row.n));
	}
	for (const row of rowsOf<Record<string, unknown>>(installedResult)) {
		const installedAt = dateOfMs(row.installed_ms);
		inputs.get(row.programme_id as string)!.installed.push({
			id: row.id as string,
			contactAt: new Date(Number(row.contact_ms)),
			stageEntries: installedAt ? { installed: installedAt } : {},
			installedOn: (row.installed_on as string | null) ?? null,
			leftOn: (row.left_on as string | null) ?? null,
			lastSignOfLifeAt: dateOfMs(row.last_sign_of_life_ms)
		});
	}
	// In id order (code points), sorted here: ordered by the database, the join walks every case
	// by its primary key (1.5 s instead of 0.7 s for 400,000 cases).
	for (const programme of inputs.values())
		programme.installed.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
	return inputs;
}
