-- A change of a programme's hosts changes which programme a host's public pages show: it
-- notifies the public page cache (and the host map cached beside it) like the tables of 0025/0026.
-- Hand-written (drizzle-kit generate --custom): keep it when migrations are regenerated.
DROP TRIGGER IF EXISTS soho_public_cache_bump_insert ON programme_hosts;
--> statement-breakpoint
DROP TRIGGER IF EXISTS soho_public_cache_bump_update ON programme_hosts;
--> statement-breakpoint
DROP TRIGGER IF EXISTS soho_public_cache_bump_delete ON programme_hosts;
--> statement-breakpoint
DROP TRIGGER IF EXISTS soho_public_cache_bump_truncate ON programme_hosts;
--> statement-breakpoint
CREATE TRIGGER soho_public_cache_bump_insert AFTER INSERT ON programme_hosts
	REFERENCING NEW TABLE AS soho_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION soho_public_cache_bump_new_rows();
--> statement-breakpoint
CREATE TRIGGER soho_public_cache_bump_update AFTER UPDATE ON programme_hosts
	REFERENCING NEW TABLE AS soho_new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION soho_public_cache_bump_new_rows();
--> statement-breakpoint
CREATE TRIGGER soho_public_cache_bump_delete AFTER DELETE ON programme_hosts
	REFERENCING OLD TABLE AS soho_old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION soho_public_cache_bump_old_rows();
--> statement-breakpoint
CREATE TRIGGER soho_public_cache_bump_truncate AFTER TRUNCATE ON programme_hosts
	FOR EACH STATEMENT EXECUTE FUNCTION soho_public_cache_bump();
