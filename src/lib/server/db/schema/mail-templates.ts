import { boolean, index, pgTable, text } from 'drizzle-orm/pg-core';
import { id, timestamps } from '../columns.ts';
import { usersTable } from './accounts.ts';
import { programmesTable } from './programmes.ts';

export const MAIL_TEMPLATE_LOCALES = ['fr', 'en'] as const;
export type MailTemplateLocale = (typeof MAIL_TEMPLATE_LOCALES)[number];

/**
 * A message the staff send from a case (welcome, visit invitation...): subject and
 * Markdown body with `{{variables}}` (listed in mail-template.rules.ts), in one language.
 */
export const mailTemplatesTable = pgTable(
	'mail_templates',
	{
		id: id('mtp'),
		programmeId: text('programme_id')
			.notNull()
			.references(() => programmesTable.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		locale: text('locale').$type<MailTemplateLocale>().notNull(),
		subject: text('subject').notNull(),
		/** Markdown with `{{variables}}`; rendered to sanitised HTML when sent. */
		body: text('body').notNull(),
		isDemo: boolean('is_demo').notNull().default(false),
		updatedBy: text('updated_by').references(() => usersTable.id, { onDelete: 'set null' }),
		...timestamps()
	},
	(table) => [
		// Templates are listed per programme by name.
		index('mail_templates_programme_idx').on(table.programmeId, table.name)
	]
);

export type MailTemplate = typeof mailTemplatesTable.$inferSelect;
