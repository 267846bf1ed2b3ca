-- Invalidation of the cache of observatory results (domain/observatory/observatory-cache.ts).
-- Hand-written (drizzle-kit generate --custom): keep it when migrations are regenerated.
-- Same pattern as the public page cache (0025 + 0026): a statement that changes rows of a table
-- the observatory reads takes the next value of the sequence soho_observatory_version and
-- notifies channel soho_observatory with it and the table ("31 cases"). Every server process
-- LISTENs and drops its cached results when the writing transaction commits; each call also reads
-- the sequence, so a write of this process (or of a job, or of the CLI) is seen by the next call
-- even before the notification arrives. One trigger per event with its transition table (a
-- statement that changed no row notifies nobody); TRUNCATE always notifies.
CREATE SEQUENCE IF NOT EXISTS soho_observatory_version;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION soho_observatory_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('soho_observatory', nextval('soho_observatory_version')::text || ' ' || TG_TABLE_NAME);
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION soho_observatory_bump_new_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM soho_observatory_new_rows) THEN
		PERFORM pg_notify('soho_observatory', nextval('soho_observatory_version')::text || ' ' || TG_TABLE_NAME);
	END IF;
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION soho_observatory_bump_old_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM soho_observatory_old_rows) THEN
		PERFORM pg_notify('soho_observatory', nextval('soho_observatory_version')::text || ' ' || TG_TABLE_NAME);
	END IF;
	RETURN NULL;
END;
$$;
--> statement-breakpoint
-- The tables the observatory reads (observatory, integration, geography and impact repositories,
-- the programme and its settings, the pipeline, advisors' names, members' join dates).
DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY[
		'programmes', 'programme_settings', 'follow_up_settings', 'observatory_impact_assumptions',
		'cases', 'case_stage_changes', 'case_target_villages', 'persons', 'users', 'memberships',
		'member_profiles', 'survey_invitations', 'survey_answers', 'departure_reports',
		'discovery_stays', 'villages', 'communes', 'epcis', 'former_communes', 'commune_connectivity'
	] LOOP
		EXECUTE format('DROP TRIGGER IF EXISTS soho_observatory_bump_insert ON %I', t);
		EXECUTE format('DROP TRIGGER IF EXISTS soho_observatory_bump_update ON %I', t);
		EXECUTE format('DROP TRIGGER IF EXISTS soho_observatory_bump_delete ON %I', t);
		EXECUTE format('DROP TRIGGER IF EXISTS soho_observatory_bump_truncate ON %I', t);
		EXECUTE format(
			'CREATE TRIGGER soho_observatory_bump_insert AFTER INSERT ON %I '
			'REFERENCING NEW TABLE AS soho_observatory_new_rows '
			'FOR EACH STATEMENT EXECUTE FUNCTION soho_observatory_bump_new_rows()', t);
		EXECUTE format(
			'CREATE TRIGGER soho_observatory_bump_update AFTER UPDATE ON %I '
			'REFERENCING NEW TABLE AS soho_observatory_new_rows '
			'FOR EACH STATEMENT EXECUTE FUNCTION soho_observatory_bump_new_rows()', t);
		EXECUTE format(
			'CREATE TRIGGER soho_observatory_bump_delete AFTER DELETE ON %I '
			'REFERENCING OLD TABLE AS soho_observatory_old_rows '
			'FOR EACH STATEMENT EXECUTE FUNCTION soho_observatory_bump_old_rows()', t);
		EXECUTE format(
			'CREATE TRIGGER soho_observatory_bump_truncate AFTER TRUNCATE ON %I '
			'FOR EACH STATEMENT EXECUTE FUNCTION soho_observatory_bump()', t);
	END LOOP;
END;
$$;
