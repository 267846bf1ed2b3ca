import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { programmesTable } from './schema/index.ts';

/**
 * The condition "`programmeId` names an active programme", for the queries of scheduled work that
 * select across programmes (digests, reminders, follow-up waves, offer matches, the mail outbox):
 * a programme suspended by an instance admin gets none of it until it is resumed, and picks up
 * what is still due then. A correlated subquery, so it adds no join to the query it guards.
 */
export function ofActiveProgramme(programmeId: AnyPgColumn): SQL {
	return sql`${programmeId} in (select ${programmesTable.id} from ${programmesTable} where ${programmesTable.status} = 'active')`;
}
