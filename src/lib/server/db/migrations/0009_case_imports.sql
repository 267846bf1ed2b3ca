CREATE TABLE "case_imports" (
	"id" text PRIMARY KEY NOT NULL,
	"programme_id" text NOT NULL,
	"file_name" text NOT NULL,
	"format" text NOT NULL,
	"headers" jsonb NOT NULL,
	"rows" jsonb NOT NULL,
	"mapping" jsonb NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"row_count" integer NOT NULL,
	"summary" jsonb,
	"created_by" text,
	"imported_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "external_id" text;--> statement-breakpoint
ALTER TABLE "case_imports" ADD CONSTRAINT "case_imports_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_imports" ADD CONSTRAINT "case_imports_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_imports_programme_idx" ON "case_imports" USING btree ("programme_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "cases_programme_external_id_unique" ON "cases" USING btree ("programme_id","external_id");