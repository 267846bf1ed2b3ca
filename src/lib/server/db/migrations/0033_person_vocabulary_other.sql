ALTER TABLE "persons" ADD COLUMN "status_other" text;--> statement-breakpoint
ALTER TABLE "persons" ADD COLUMN "sector_other" text;