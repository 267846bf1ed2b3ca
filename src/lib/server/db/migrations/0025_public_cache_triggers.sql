-- Invalidation of the cache of rendered public pages (src/lib/server/http/public-cache.ts).
-- Hand-written (drizzle-kit generate --custom): keep it when migrations are regenerated.
-- A write to a table that public pages read takes the next value of the sequence
-- soho_public_cache_version and notifies channel soho_public_cache with it and the table
-- ("248 offers"): every server process LISTENs and drops its cached pages when the writing
-- transaction commits (NOTIFY is transactional, a rolled-back write notifies nobody). A sequence,
-- not a counter row: nextval takes no lock that concurrent writers would queue on (or deadlock
-- over); a rolled-back write only consumes a number, and the writing process's own check then
-- drops its pages once more, harmlessly. Statement-level triggers: an import of thousands of
-- rows costs one number per statement, not per row. Cases have no trigger on purpose: the
-- figures built from them expire with SOHO_PUBLIC_CACHE_MAX_AGE_SECONDS.
CREATE SEQUENCE IF NOT EXISTS soho_public_cache_version;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION soho_public_cache_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('soho_public_cache', nextval('soho_public_cache_version')::text || ' ' || TG_TABLE_NAME);
	RETURN NULL;
END;
$$;
--> statement-breakpoint
DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY[
		'programmes', 'programme_settings', 'privacy_retention_settings', 'villages',
		'village_committee_members', 'workspaces', 'organisations', 'offers', 'events',
		'event_registrations', 'member_profiles', 'users', 'media_files', 'communes', 'epcis',
		'former_communes', 'commune_connectivity'
	] LOOP
		EXECUTE format('DROP TRIGGER IF EXISTS soho_public_cache_bump ON %I', t);
		EXECUTE format(
			'CREATE TRIGGER soho_public_cache_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I '
			'FOR EACH STATEMENT EXECUTE FUNCTION soho_public_cache_bump()', t);
	END LOOP;
END;
$$;
