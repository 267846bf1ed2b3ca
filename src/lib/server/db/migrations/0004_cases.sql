CREATE TABLE "case_activities" (
	"id" text PRIMARY KEY NOT NULL,
	"programme_id" text NOT NULL,
	"case_id" text NOT NULL,
	"kind" text NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"author_id" text,
	"summary" text NOT NULL,
	"body" text,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"visibility" text DEFAULT 'staff' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_stage_changes" (
	"id" text PRIMARY KEY NOT NULL,
	"programme_id" text NOT NULL,
	"case_id" text NOT NULL,
	"from_stage" text,
	"to_stage" text NOT NULL,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"changed_by" text,
	"reason" text
);
--> statement-breakpoint
CREATE TABLE "case_target_villages" (
	"case_id" text NOT NULL,
	"village_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_target_villages_pk" PRIMARY KEY("case_id","village_id")
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"id" text PRIMARY KEY NOT NULL,
	"programme_id" text NOT NULL,
	"reference" text NOT NULL,
	"source" text NOT NULL,
	"stage" text DEFAULT 'contact' NOT NULL,
	"stage_changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"advisor_id" text,
	"wished_area" text,
	"wished_commune_codes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"timeline" text,
	"needs" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"would_move_without_programme" text,
	"how_heard" text,
	"installed_commune_code" text,
	"installed_on" date,
	"business_siret" text,
	"business_created_on" date,
	"business_closed_on" date,
	"left_on" date,
	"left_reason" text,
	"abandoned_reason" text,
	"candidate_user_id" text,
	"consents" jsonb DEFAULT '{"contact":false,"shareWithCommittees":false,"shareWithPartners":false,"research":false,"at":null}'::jsonb NOT NULL,
	"possible_duplicate_of" text,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_by" text,
	"updated_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "persons" (
	"id" text PRIMARY KEY NOT NULL,
	"programme_id" text NOT NULL,
	"case_id" text NOT NULL,
	"household_role" text NOT NULL,
	"first_name" text,
	"last_name" text,
	"email" text,
	"phone" text,
	"birth_year" integer,
	"profession" text,
	"status" text,
	"sector" text,
	"pcs" text,
	"origin_country" text,
	"origin_area" text,
	"languages" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"needs" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tasks" (
	"id" text PRIMARY KEY NOT NULL,
	"programme_id" text NOT NULL,
	"case_id" text,
	"title" text NOT NULL,
	"due_on" date,
	"assignee_id" text,
	"done_at" timestamp with time zone,
	"created_by" text,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "programmes" ADD COLUMN "pipeline" jsonb;--> statement-breakpoint
ALTER TABLE "case_activities" ADD CONSTRAINT "case_activities_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_activities" ADD CONSTRAINT "case_activities_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_activities" ADD CONSTRAINT "case_activities_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_stage_changes" ADD CONSTRAINT "case_stage_changes_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_stage_changes" ADD CONSTRAINT "case_stage_changes_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_stage_changes" ADD CONSTRAINT "case_stage_changes_changed_by_users_id_fk" FOREIGN KEY ("changed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_target_villages" ADD CONSTRAINT "case_target_villages_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_target_villages" ADD CONSTRAINT "case_target_villages_village_id_villages_id_fk" FOREIGN KEY ("village_id") REFERENCES "public"."villages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_advisor_id_users_id_fk" FOREIGN KEY ("advisor_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_installed_commune_code_communes_code_fk" FOREIGN KEY ("installed_commune_code") REFERENCES "public"."communes"("code") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_candidate_user_id_users_id_fk" FOREIGN KEY ("candidate_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_possible_duplicate_of_cases_id_fk" FOREIGN KEY ("possible_duplicate_of") REFERENCES "public"."cases"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "persons" ADD CONSTRAINT "persons_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "persons" ADD CONSTRAINT "persons_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_assignee_id_users_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_activities_case_idx" ON "case_activities" USING btree ("case_id","occurred_at");--> statement-breakpoint
CREATE INDEX "case_activities_author_idx" ON "case_activities" USING btree ("author_id");--> statement-breakpoint
CREATE INDEX "case_stage_changes_case_idx" ON "case_stage_changes" USING btree ("case_id","changed_at");--> statement-breakpoint
CREATE INDEX "case_stage_changes_programme_idx" ON "case_stage_changes" USING btree ("programme_id","to_stage","changed_at");--> statement-breakpoint
CREATE INDEX "case_target_villages_village_idx" ON "case_target_villages" USING btree ("village_id");--> statement-breakpoint
CREATE UNIQUE INDEX "cases_programme_reference_unique" ON "cases" USING btree ("programme_id","reference");--> statement-breakpoint
CREATE INDEX "cases_programme_stage_idx" ON "cases" USING btree ("programme_id","stage");--> statement-breakpoint
CREATE INDEX "cases_programme_updated_idx" ON "cases" USING btree ("programme_id","updated_at");--> statement-breakpoint
CREATE INDEX "cases_advisor_idx" ON "cases" USING btree ("advisor_id");--> statement-breakpoint
CREATE INDEX "cases_candidate_user_idx" ON "cases" USING btree ("candidate_user_id");--> statement-breakpoint
CREATE INDEX "cases_programme_installed_idx" ON "cases" USING btree ("programme_id","installed_on");--> statement-breakpoint
CREATE INDEX "cases_duplicate_idx" ON "cases" USING btree ("possible_duplicate_of");--> statement-breakpoint
CREATE INDEX "persons_case_idx" ON "persons" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "persons_programme_email_idx" ON "persons" USING btree ("programme_id","email");--> statement-breakpoint
CREATE INDEX "persons_programme_phone_idx" ON "persons" USING btree ("programme_id","phone");--> statement-breakpoint
CREATE INDEX "tasks_assignee_due_idx" ON "tasks" USING btree ("assignee_id","done_at","due_on");--> statement-breakpoint
CREATE INDEX "tasks_case_idx" ON "tasks" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "tasks_programme_idx" ON "tasks" USING btree ("programme_id","due_on");