-- Accent-insensitive search (unaccent) and fuzzy matching (pg_trgm), on PGlite and PostgreSQL alike.
CREATE EXTENSION IF NOT EXISTS unaccent;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm;
