-- Invalidation of the cache of rendered public pages (src/lib/server/http/public-cache.ts).
-- A write to a table that public pages read bumps public_cache_versions (one row, 'instance')
-- and notifies channel soho_public_cache with the new version and the table ("248 offers"):
-- every server process LISTENs
-- and drops its cached pages when the writing transaction commits (NOTIFY is transactional,
-- a rolled-back write notifies nobody). Statement-level triggers: an import of thousands of
-- rows costs one bump per statement, not per row. Cases have no trigger on purpose: the
-- figures built from them expire with SOHO_PUBLIC_CACHE_MAX_AGE_SECONDS.
INSERT INTO "public_cache_versions" ("id", "version") VALUES ('instance', 0) ON CONFLICT ("id") DO NOTHING;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION soho_public_cache_bump() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	next_version bigint;
BEGIN
	UPDATE public_cache_versions SET version = version + 1, changed_at = now()
		WHERE id = 'instance' RETURNING version INTO next_version;
	IF next_version IS NULL THEN
		INSERT INTO public_cache_versions (id, version) VALUES ('instance', 1)
			ON CONFLICT (id) DO UPDATE SET version = public_cache_versions.version + 1, changed_at = now()
			RETURNING version INTO next_version;
	END IF;
	PERFORM pg_notify('soho_public_cache', next_version::text || ' ' || TG_TABLE_NAME);
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
