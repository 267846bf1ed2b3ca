import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import { programmesTable } from '../../db/schema/index.ts';

export type ComparisonProgrammeRow = {
	id: string;
	slug: string;
	name: string;
	isDemo: boolean;
	inComparisonSince: Date | null;
};

/**
 * The programmes that opted in to the comparison. A read across programmes on purpose (like the
 * jobs that scan every programme): the comparison shows each opted-in programme's indicators, by
 * name, to the staff of the other opted-in programmes; programmes that did not opt in are never read.
 */
export async function findComparisonProgrammes({ db }: { db: Db }): Promise<ComparisonProgrammeRow[]> {
	return db
		.select({
			id: programmesTable.id,
			slug: programmesTable.slug,
			name: programmesTable.name,
			isDemo: programmesTable.isDemo,
			inComparisonSince: programmesTable.inComparisonSince
		})
		.from(programmesTable)
		.where(eq(programmesTable.isInComparison, true))
		.orderBy(asc(programmesTable.name));
}
