CREATE TABLE "case_merges" (
	"id" text PRIMARY KEY NOT NULL,
	"programme_id" text NOT NULL,
	"absorbed_case_id" text NOT NULL,
	"absorbed_reference" text NOT NULL,
	"kept_case_id" text NOT NULL,
	"merged_at" timestamp with time zone DEFAULT now() NOT NULL,
	"merged_by" text
);
--> statement-breakpoint
CREATE TABLE "audit_entries" (
	"id" text PRIMARY KEY NOT NULL,
	"programme_id" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" text NOT NULL,
	"case_id" text NOT NULL,
	"action" text NOT NULL,
	"actor_id" text,
	"actor_label" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"before" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"after" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "case_merges" ADD CONSTRAINT "case_merges_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_merges" ADD CONSTRAINT "case_merges_kept_case_id_cases_id_fk" FOREIGN KEY ("kept_case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_merges" ADD CONSTRAINT "case_merges_merged_by_users_id_fk" FOREIGN KEY ("merged_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_entries" ADD CONSTRAINT "audit_entries_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_entries" ADD CONSTRAINT "audit_entries_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "case_merges_absorbed_unique" ON "case_merges" USING btree ("programme_id","absorbed_case_id");--> statement-breakpoint
CREATE INDEX "case_merges_reference_idx" ON "case_merges" USING btree ("programme_id","absorbed_reference");--> statement-breakpoint
CREATE INDEX "case_merges_kept_idx" ON "case_merges" USING btree ("kept_case_id");--> statement-breakpoint
CREATE INDEX "audit_entries_case_idx" ON "audit_entries" USING btree ("programme_id","case_id","at");--> statement-breakpoint
CREATE INDEX "audit_entries_entity_idx" ON "audit_entries" USING btree ("entity_type","entity_id");