-- The public page cache's triggers (0025) notify only when a statement changed rows.
-- Hand-written (drizzle-kit generate --custom): keep it when migrations are regenerated.
-- A statement-level trigger fires even when its statement touched no row: the scheduled jobs'
-- UPDATEs that find nothing to do (offer reminders, retention, event reminders) emptied every
-- process's cache at each run, and a page was rendered again under load for nothing. Each table
-- now has one trigger per event with its transition table (PostgreSQL allows one event per
-- trigger when transition tables are named), and the function notifies only when that table holds
-- a row. TRUNCATE keeps 0025's function (no transition table; it always notifies).
CREATE OR REPLACE FUNCTION soho_public_cache_bump_new_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM soho_new_rows) THEN
		PERFORM pg_notify('soho_public_cache', nextval('soho_public_cache_version')::text || ' ' || TG_TABLE_NAME);
	END IF;
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION soho_public_cache_bump_old_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM soho_old_rows) THEN
		PERFORM pg_notify('soho_public_cache', nextval('soho_public_cache_version')::text || ' ' || TG_TABLE_NAME);
	END IF;
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
		EXECUTE format('DROP TRIGGER IF EXISTS soho_public_cache_bump_insert ON %I', t);
		EXECUTE format('DROP TRIGGER IF EXISTS soho_public_cache_bump_update ON %I', t);
		EXECUTE format('DROP TRIGGER IF EXISTS soho_public_cache_bump_delete ON %I', t);
		EXECUTE format('DROP TRIGGER IF EXISTS soho_public_cache_bump_truncate ON %I', t);
		EXECUTE format(
			'CREATE TRIGGER soho_public_cache_bump_insert AFTER INSERT ON %I '
			'REFERENCING NEW TABLE AS soho_new_rows '
			'FOR EACH STATEMENT EXECUTE FUNCTION soho_public_cache_bump_new_rows()', t);
		EXECUTE format(
			'CREATE TRIGGER soho_public_cache_bump_update AFTER UPDATE ON %I '
			'REFERENCING NEW TABLE AS soho_new_rows '
			'FOR EACH STATEMENT EXECUTE FUNCTION soho_public_cache_bump_new_rows()', t);
		EXECUTE format(
			'CREATE TRIGGER soho_public_cache_bump_delete AFTER DELETE ON %I '
			'REFERENCING OLD TABLE AS soho_old_rows '
			'FOR EACH STATEMENT EXECUTE FUNCTION soho_public_cache_bump_old_rows()', t);
		EXECUTE format(
			'CREATE TRIGGER soho_public_cache_bump_truncate AFTER TRUNCATE ON %I '
			'FOR EACH STATEMENT EXECUTE FUNCTION soho_public_cache_bump()', t);
	END LOOP;
END;
$$;
