/** What the privacy tests share: a scan of every text column of every table, the observatory's figures. */
import { sql } from 'drizzle-orm';
import type { Actor } from '../../auth/actor.ts';
import type { Db } from '../../db/index.ts';
import { loadObservatory, observatoryViewerOf } from '../observatory/observatory.context.ts';
import { OBSERVATORY_SECTION_LOADERS } from '../observatory/observatory.service.ts';

const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;

/** Every text, varchar and jsonb column of every table (generated columns included). */
export async function textColumns(db: Db): Promise<{ table: string; column: string }[]> {
	const result = await db.execute(sql`
		select table_name as table, column_name as column
		from information_schema.columns
		where table_schema = 'public' and data_type in ('text', 'character varying', 'jsonb', 'json')
			and table_name not like '\\_\\_%'
		order by table_name, column_name`);
	return rowsOf<{ table: string; column: string }>(result);
}

/**
 * Where any of the needles is found (case-insensitive) in any text column of any table:
 * `table.column` → number of rows.
 */
export async function scanForText(db: Db, needles: string[]): Promise<Record<string, number>> {
	const found: Record<string, number> = {};
	for (const { table, column } of await textColumns(db)) {
		const conditions = needles.map(
			(needle) => sql`${sql.identifier(column)}::text ilike ${'%' + needle + '%'}`
		);
		const result = await db.execute(
			sql`select count(*)::int as n from ${sql.identifier(table)} where ${sql.join(conditions, sql` or `)}`
		);
		const n = Number(rowsOf<{ n: number }>(result)[0]?.n ?? 0);
		if (n > 0) found[`${table}.${column}`] = n;
	}
	return found;
}

/** The ids of the rows of each table that mention any of the needles (tables with an `id` column). */
export async function rowIdsMentioning(db: Db, needles: string[]): Promise<Record<string, string[]>> {
	const columns = await textColumns(db);
	const byTable = new Map<string, string[]>();
	for (const { table, column } of columns) byTable.set(table, [...(byTable.get(table) ?? []), column]);
	const idTables = rowsOf<{ table: string }>(
		await db.execute(sql`
			select table_name as table from information_schema.columns
			where table_schema = 'public' and column_name = 'id'`)
	).map((row) => row.table);
	const out: Record<string, string[]> = {};
	for (const [table, cols] of byTable) {
		if (!idTables.includes(table)) continue;
		const conditions = cols.flatMap((column) =>
			needles.map((needle) => sql`${sql.identifier(column)}::text ilike ${'%' + needle + '%'}`)
		);
		const rows = rowsOf<{ id: string }>(
			await db.execute(
				sql`select id from ${sql.identifier(table)} where ${sql.join(conditions, sql` or `)} order by id`
			)
		);
		if (rows.length) out[table] = rows.map((row) => row.id);
	}
	return out;
}

/** Every section of the observatory as staff see it, at a fixed date. */
export async function observatoryFigures(db: Db, actor: Actor, now: Date): Promise<Record<string, unknown>> {
	const context = await loadObservatory({ viewer: observatoryViewerOf(actor), input: {} }, { db, now });
	const figures: Record<string, unknown> = {};
	for (const [name, load] of Object.entries(OBSERVATORY_SECTION_LOADERS)) {
		figures[name] = await load(context, { db });
	}
	return figures;
}
