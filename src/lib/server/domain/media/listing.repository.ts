import { eq } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import { offerDisclosuresTable } from '../../db/schema/index.ts';

/** Who may already see an anonymised offer's details. */
export async function findDisclosedUserIds({ db, offerId }: { db: Db; offerId: string }): Promise<string[]> {
	const rows = await db
		.select({ userId: offerDisclosuresTable.userId })
		.from(offerDisclosuresTable)
		.where(eq(offerDisclosuresTable.offerId, offerId));
	return rows.map((row) => row.userId);
}
