import { eq } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import {
	observatoryImpactAssumptionsTable,
	usersTable,
	type ImpactAssumptionValues
} from '../../db/schema/index.ts';

/** The programme's saved assumptions with the name of who saved them, or null (defaults apply). */
export async function findImpactAssumptions({ db, programmeId }: { db: Db; programmeId: string }) {
	const [row] = await db
		.select({
			values: observatoryImpactAssumptionsTable.values,
			updatedAt: observatoryImpactAssumptionsTable.updatedAt,
			updatedBy: observatoryImpactAssumptionsTable.updatedBy,
			updatedByName: usersTable.name
		})
		.from(observatoryImpactAssumptionsTable)
		.leftJoin(usersTable, eq(usersTable.id, observatoryImpactAssumptionsTable.updatedBy))
		.where(eq(observatoryImpactAssumptionsTable.programmeId, programmeId));
	return row ?? null;
}

export async function upsertImpactAssumptions({
	db,
	programmeId,
	values,
	updatedBy,
	updatedAt
}: {
	db: Db;
	programmeId: string;
	values: ImpactAssumptionValues;
	updatedBy: string;
	updatedAt: Date;
}): Promise<void> {
	await db
		.insert(observatoryImpactAssumptionsTable)
		.values({ programmeId, values, updatedBy, updatedAt })
		.onConflictDoUpdate({
			target: observatoryImpactAssumptionsTable.programmeId,
			set: { values, updatedBy, updatedAt }
		});
}
