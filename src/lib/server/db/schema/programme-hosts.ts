import { sql } from 'drizzle-orm';
import { boolean, index, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { timestamps } from '../columns.ts';
import { programmesTable } from './programmes.ts';

/**
 * The host names a programme's public site answers on (`gers.example.org`): lower-case, no
 * port, one programme per host. A request whose Host is listed here shows that programme;
 * any other host shows the default programme (the oldest). The primary host, at most one
 * per programme, writes the programme's absolute links (mails, sitemap, canonical URLs,
 * iCalendar); without one, the configured public origin does.
 */
export const programmeHostsTable = pgTable(
	'programme_hosts',
	{
		host: text('host').primaryKey(),
		programmeId: text('programme_id')
			.notNull()
			.references(() => programmesTable.id, { onDelete: 'cascade' }),
		isPrimary: boolean('is_primary').notNull().default(false),
		...timestamps()
	},
	(table) => [
		index('programme_hosts_programme_idx').on(table.programmeId),
		uniqueIndex('programme_hosts_one_primary')
			.on(table.programmeId)
			.where(sql`${table.isPrimary}`)
	]
);

export type ProgrammeHost = typeof programmeHostsTable.$inferSelect;
