import { bigint, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The version of what public pages show. One row (id 'instance'): public pages show the
 * instance's public programme together with shared reference data (communes, outlines), so
 * one counter covers them. Statement-level triggers on the tables public pages read bump it
 * and `pg_notify('soho_public_cache', version)` in the writing transaction, so every server
 * process drops its cached pages at commit (see custom-sql/public-cache.sql and
 * http/public-cache.ts). Cases have no trigger: figures built from them expire with the
 * cache's maximum age.
 */
export const publicCacheVersionsTable = pgTable('public_cache_versions', {
	id: text('id').primaryKey(),
	version: bigint('version', { mode: 'number' }).notNull().default(0),
	changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow()
});
