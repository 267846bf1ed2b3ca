CREATE TABLE "departure_reports" (
	"id" text PRIMARY KEY NOT NULL,
	"programme_id" text NOT NULL,
	"case_id" text NOT NULL,
	"answer_id" text,
	"reported_on" date NOT NULL,
	"moved_to" text,
	"reason" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "follow_up_settings" (
	"programme_id" text PRIMARY KEY NOT NULL,
	"wave_months" jsonb NOT NULL,
	"silence_months" integer NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "survey_answers" (
	"id" text PRIMARY KEY NOT NULL,
	"programme_id" text NOT NULL,
	"invitation_id" text NOT NULL,
	"case_id" text NOT NULL,
	"wave_months" integer NOT NULL,
	"questionnaire_version" integer NOT NULL,
	"answers" jsonb NOT NULL,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"is_demo" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "survey_invitations" (
	"id" text PRIMARY KEY NOT NULL,
	"programme_id" text NOT NULL,
	"case_id" text NOT NULL,
	"wave_months" integer NOT NULL,
	"due_on" date NOT NULL,
	"token" text NOT NULL,
	"questionnaire_version" integer NOT NULL,
	"locale" text DEFAULT 'fr' NOT NULL,
	"to_address" text NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reminded_7_at" timestamp with time zone,
	"reminded_14_at" timestamp with time zone,
	"expires_at" timestamp with time zone NOT NULL,
	"answered_at" timestamp with time zone,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "survey_questionnaires" (
	"id" text PRIMARY KEY NOT NULL,
	"programme_id" text NOT NULL,
	"version" integer NOT NULL,
	"questions" jsonb NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "last_sign_of_life_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "departure_reports" ADD CONSTRAINT "departure_reports_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "departure_reports" ADD CONSTRAINT "departure_reports_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "departure_reports" ADD CONSTRAINT "departure_reports_answer_id_survey_answers_id_fk" FOREIGN KEY ("answer_id") REFERENCES "public"."survey_answers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "departure_reports" ADD CONSTRAINT "departure_reports_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_settings" ADD CONSTRAINT "follow_up_settings_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_settings" ADD CONSTRAINT "follow_up_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_answers" ADD CONSTRAINT "survey_answers_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_answers" ADD CONSTRAINT "survey_answers_invitation_id_survey_invitations_id_fk" FOREIGN KEY ("invitation_id") REFERENCES "public"."survey_invitations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_answers" ADD CONSTRAINT "survey_answers_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_invitations" ADD CONSTRAINT "survey_invitations_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_invitations" ADD CONSTRAINT "survey_invitations_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_questionnaires" ADD CONSTRAINT "survey_questionnaires_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_questionnaires" ADD CONSTRAINT "survey_questionnaires_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "departure_reports_programme_status_idx" ON "departure_reports" USING btree ("programme_id","status");--> statement-breakpoint
CREATE INDEX "departure_reports_case_idx" ON "departure_reports" USING btree ("case_id");--> statement-breakpoint
CREATE UNIQUE INDEX "survey_answers_invitation_unique" ON "survey_answers" USING btree ("invitation_id");--> statement-breakpoint
CREATE INDEX "survey_answers_case_idx" ON "survey_answers" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "survey_answers_programme_wave_idx" ON "survey_answers" USING btree ("programme_id","wave_months");--> statement-breakpoint
CREATE UNIQUE INDEX "survey_invitations_case_wave_unique" ON "survey_invitations" USING btree ("case_id","wave_months");--> statement-breakpoint
CREATE UNIQUE INDEX "survey_invitations_token_unique" ON "survey_invitations" USING btree ("token");--> statement-breakpoint
CREATE INDEX "survey_invitations_programme_wave_idx" ON "survey_invitations" USING btree ("programme_id","wave_months");--> statement-breakpoint
CREATE INDEX "survey_invitations_open_idx" ON "survey_invitations" USING btree ("answered_at","sent_at");--> statement-breakpoint
CREATE UNIQUE INDEX "survey_questionnaires_version_unique" ON "survey_questionnaires" USING btree ("programme_id","version");--> statement-breakpoint
CREATE INDEX "cases_programme_sign_of_life_idx" ON "cases" USING btree ("programme_id","last_sign_of_life_at");