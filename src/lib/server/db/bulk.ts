import { getTableColumns, getTableName, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Db } from './index.ts';

/**
 * Rows per INSERT of `insertRowsAsJson`. One batch is one JSON document of a few MB at
 * most (audit entries are the widest rows), so memory stays bounded for 100,000-row imports.
 */
export const BULK_INSERT_ROWS = 2000;

/**
 * Inserts many rows with one statement per batch, the rows travelling as ONE JSON parameter
 * (`jsonb_to_recordset`) instead of one bind parameter per value: PGlite parses a statement
 * with thousands of parameters slowly (multi-row VALUES was 2–4× slower for stage changes
 * on both PGlite and PostgreSQL, drizzle's parameter building costing as much again), and
 * the 65,535 bind-parameter limit never applies. The rows are serialised as they are (keys
 * are the table's TypeScript keys, read back with a column definition list), so no object
 * is rebuilt per row.
 *
 * Ids must be set by the caller (generated in Node): $defaultFn does not run here, nor does
 * any driver-side value mapping (dates are written from their ISO string). Only the columns
 * some row sets are written and the others take their database default, so every row of a
 * call must set the same columns (a column left undefined in one row only is written as
 * null). Nothing is returned: the caller already holds every value.
 */
export async function insertRowsAsJson<TTable extends PgTable>(
	db: Db,
	table: TTable,
	rows: TTable['$inferInsert'][],
	batchRows = BULK_INSERT_ROWS
): Promise<void> {
	if (rows.length === 0) return;
	const records = rows as Record<string, unknown>[];
	const columns = Object.entries(getTableColumns(table)).filter(
		([key, column]) => !column.generated && records.some((row) => row[key] !== undefined)
	);
	const tableName = sql.identifier(getTableName(table));
	const names = sql.join(
		columns.map(([, column]) => sql.identifier(column.name)),
		sql`, `
	);
	const values = sql.join(
		columns.map(([key]) => sql`x.${sql.identifier(key)}`),
		sql`, `
	);
	const definitions = sql.raw(
		columns.map(([key, column]) => `"${key.replace(/"/g, '""')}" ${column.getSQLType()}`).join(', ')
	);
	for (let i = 0; i < records.length; i += batchRows) {
		const json = JSON.stringify(records.slice(i, i + batchRows));
		await db.execute(
			sql`insert into ${tableName} (${names}) select ${values} from jsonb_to_recordset(${json}::jsonb) as x(${definitions})`
		);
	}
}
