CREATE TABLE "discovery_stay_households" (
	"stay_id" text NOT NULL,
	"case_id" text NOT NULL,
	"programme_id" text NOT NULL,
	CONSTRAINT "discovery_stay_households_pk" PRIMARY KEY("stay_id","case_id")
);
--> statement-breakpoint
CREATE TABLE "discovery_stay_meetings" (
	"id" text PRIMARY KEY NOT NULL,
	"programme_id" text NOT NULL,
	"stay_id" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"place" text NOT NULL,
	"topic" text,
	"host_kind" text NOT NULL,
	"host_user_id" text NOT NULL,
	"village_id" text,
	"organisation_id" text,
	"workspace_id" text,
	"response" text DEFAULT 'invited' NOT NULL,
	"responded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "discovery_stay_outcomes" (
	"id" text PRIMARY KEY NOT NULL,
	"programme_id" text NOT NULL,
	"stay_id" text NOT NULL,
	"case_id" text NOT NULL,
	"author_kind" text NOT NULL,
	"author_id" text,
	"went_well" boolean NOT NULL,
	"still_interested" boolean NOT NULL,
	"villages_considered" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"next_step" text NOT NULL,
	"comment" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "discovery_stays" (
	"id" text PRIMARY KEY NOT NULL,
	"programme_id" text NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"lodging" text,
	"lodging_offer_id" text,
	"status" text DEFAULT 'planned' NOT NULL,
	"sequence" integer DEFAULT 0 NOT NULL,
	"cancelled_at" timestamp with time zone,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_by" text,
	"updated_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "discovery_stay_households" ADD CONSTRAINT "discovery_stay_households_stay_id_discovery_stays_id_fk" FOREIGN KEY ("stay_id") REFERENCES "public"."discovery_stays"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discovery_stay_households" ADD CONSTRAINT "discovery_stay_households_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discovery_stay_households" ADD CONSTRAINT "discovery_stay_households_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discovery_stay_meetings" ADD CONSTRAINT "discovery_stay_meetings_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discovery_stay_meetings" ADD CONSTRAINT "discovery_stay_meetings_stay_id_discovery_stays_id_fk" FOREIGN KEY ("stay_id") REFERENCES "public"."discovery_stays"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discovery_stay_meetings" ADD CONSTRAINT "discovery_stay_meetings_host_user_id_users_id_fk" FOREIGN KEY ("host_user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discovery_stay_meetings" ADD CONSTRAINT "discovery_stay_meetings_village_id_villages_id_fk" FOREIGN KEY ("village_id") REFERENCES "public"."villages"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discovery_stay_meetings" ADD CONSTRAINT "discovery_stay_meetings_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discovery_stay_meetings" ADD CONSTRAINT "discovery_stay_meetings_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discovery_stay_outcomes" ADD CONSTRAINT "discovery_stay_outcomes_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discovery_stay_outcomes" ADD CONSTRAINT "discovery_stay_outcomes_stay_id_discovery_stays_id_fk" FOREIGN KEY ("stay_id") REFERENCES "public"."discovery_stays"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discovery_stay_outcomes" ADD CONSTRAINT "discovery_stay_outcomes_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discovery_stay_outcomes" ADD CONSTRAINT "discovery_stay_outcomes_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discovery_stays" ADD CONSTRAINT "discovery_stays_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discovery_stays" ADD CONSTRAINT "discovery_stays_lodging_offer_id_offers_id_fk" FOREIGN KEY ("lodging_offer_id") REFERENCES "public"."offers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discovery_stays" ADD CONSTRAINT "discovery_stays_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discovery_stays" ADD CONSTRAINT "discovery_stays_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "discovery_stay_households_case_idx" ON "discovery_stay_households" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "discovery_stay_meetings_stay_idx" ON "discovery_stay_meetings" USING btree ("stay_id","starts_at");--> statement-breakpoint
CREATE INDEX "discovery_stay_meetings_host_idx" ON "discovery_stay_meetings" USING btree ("host_user_id","starts_at");--> statement-breakpoint
CREATE UNIQUE INDEX "discovery_stay_outcomes_unique" ON "discovery_stay_outcomes" USING btree ("stay_id","case_id","author_kind");--> statement-breakpoint
CREATE INDEX "discovery_stays_programme_starts_idx" ON "discovery_stays" USING btree ("programme_id","starts_on");