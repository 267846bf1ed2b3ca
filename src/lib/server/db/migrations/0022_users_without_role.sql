ALTER TABLE "users" DROP CONSTRAINT "users_programme_id_programmes_id_fk";
--> statement-breakpoint
ALTER TABLE "users" DROP CONSTRAINT "users_organisation_id_organisations_id_fk";
--> statement-breakpoint
DROP INDEX "users_programme_idx";--> statement-breakpoint
ALTER TABLE "users" DROP COLUMN "role";--> statement-breakpoint
ALTER TABLE "users" DROP COLUMN "programme_id";--> statement-breakpoint
ALTER TABLE "users" DROP COLUMN "organisation_id";