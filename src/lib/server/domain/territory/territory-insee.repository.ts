import { count, sql } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import { communesTable } from '../../db/schema/territory.ts';
import type { InseeAttributeUpdate } from './territory-insee.rules.ts';

/** Territory tables are reference data shared by every programme: no programme_id filter here. */

/** Every imported commune with its INSEE attributes as stored. */
export async function findCommuneInseeAttributes({ db }: { db: Db }): Promise<
	{
		code: string;
		departementCode: string;
		aavCode: string | null;
		aavCategory: string | null;
		cantonCode: string | null;
		isCantonSeat: boolean | null;
		inseeAttributesSource: string | null;
	}[]
> {
	return db
		.select({
			code: communesTable.code,
			departementCode: communesTable.departementCode,
			aavCode: communesTable.aavCode,
			aavCategory: communesTable.aavCategory,
			cantonCode: communesTable.cantonCode,
			isCantonSeat: communesTable.isCantonSeat,
			inseeAttributesSource: communesTable.inseeAttributesSource
		})
		.from(communesTable);
}

/** Writes the attributes of some communes in one statement; `isCantonSeat` undefined keeps the stored value. */
export async function updateCommuneInseeAttributes({
	db,
	source,
	rows
}: {
	db: Db;
	source: string;
	rows: InseeAttributeUpdate[];
}): Promise<void> {
	if (rows.length === 0) return;
	const values = sql.join(
		rows.map(
			(row) =>
				sql`(${row.code}, ${row.aavCode}, ${row.aavCategory}, ${row.cantonCode}, ${row.isCantonSeat === undefined ? null : String(row.isCantonSeat)}, ${row.isCantonSeat === undefined ? 'keep' : 'set'})`
		),
		sql`, `
	);
	await db.execute(sql`
		update ${communesTable} as c set
			aav_code = v.aav_code::text,
			aav_category = v.aav_category::text,
			canton_code = v.canton_code::text,
			is_canton_seat = case when v.seat_mode = 'set' then v.is_seat::boolean else c.is_canton_seat end,
			insee_attributes_source = ${source},
			updated_at = now()
		from (values ${values}) as v(code, aav_code, aav_category, canton_code, is_seat, seat_mode)
		where c.code = v.code`);
}

/** How many communes carry an AAV category, and how many a canton seat flag. */
export async function countCommunesWithInseeAttributes({
	db
}: {
	db: Db;
}): Promise<{ communes: number; withAavCategory: number; withCantonSeat: number }> {
	const [row] = await db
		.select({
			communes: count(),
			withAavCategory: count(communesTable.aavCategory),
			withCantonSeat: count(communesTable.isCantonSeat)
		})
		.from(communesTable);
	return row;
}
