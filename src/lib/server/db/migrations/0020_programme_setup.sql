CREATE TABLE "setup_attempts" (
	"id" text PRIMARY KEY NOT NULL,
	"ip_address" text,
	"is_success" boolean NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "setup_codes" (
	"id" text PRIMARY KEY NOT NULL,
	"code_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"used_at" timestamp with time zone,
	"failures" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "programmes" ADD COLUMN "short_name" text;--> statement-breakpoint
ALTER TABLE "programmes" ADD COLUMN "contact_email" text;--> statement-breakpoint
CREATE INDEX "setup_attempts_ip_idx" ON "setup_attempts" USING btree ("ip_address","created_at");--> statement-breakpoint
CREATE INDEX "setup_attempts_created_idx" ON "setup_attempts" USING btree ("created_at");