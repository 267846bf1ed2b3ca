ALTER TABLE "communes" ADD COLUMN "aav_code" text;--> statement-breakpoint
ALTER TABLE "communes" ADD COLUMN "aav_category" text;--> statement-breakpoint
ALTER TABLE "communes" ADD COLUMN "canton_code" text;--> statement-breakpoint
ALTER TABLE "communes" ADD COLUMN "is_canton_seat" boolean;--> statement-breakpoint
ALTER TABLE "communes" ADD COLUMN "insee_attributes_source" text;