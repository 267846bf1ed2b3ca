CREATE TABLE "case_needs" (
	"case_id" text PRIMARY KEY NOT NULL,
	"programme_id" text NOT NULL,
	"housing_tenure" text,
	"budget_min" integer,
	"budget_max" integer,
	"housing_type" text DEFAULT 'any' NOT NULL,
	"min_rooms" integer,
	"min_surface_m2" integer,
	"min_connection" text,
	"children" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"max_school_km" integer,
	"needs_childcare" boolean DEFAULT false NOT NULL,
	"is_partner_seeking_job" boolean DEFAULT false NOT NULL,
	"partner_job_sector" text,
	"max_station_km" integer,
	"max_airport_km" integer,
	"max_metropole_km" integer,
	"wants_coworking" boolean DEFAULT false NOT NULL,
	"village_preference" text DEFAULT 'prefer_partner' NOT NULL,
	"languages" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"updated_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_saved_suggestions" (
	"case_id" text NOT NULL,
	"village_id" text NOT NULL,
	"programme_id" text NOT NULL,
	"saved_by" text,
	"saved_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_saved_suggestions_pk" PRIMARY KEY("case_id","village_id")
);
--> statement-breakpoint
CREATE TABLE "programme_matching_weights" (
	"programme_id" text PRIMARY KEY NOT NULL,
	"weights" jsonb NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "case_needs" ADD CONSTRAINT "case_needs_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_needs" ADD CONSTRAINT "case_needs_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_needs" ADD CONSTRAINT "case_needs_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_saved_suggestions" ADD CONSTRAINT "case_saved_suggestions_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_saved_suggestions" ADD CONSTRAINT "case_saved_suggestions_village_id_villages_id_fk" FOREIGN KEY ("village_id") REFERENCES "public"."villages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_saved_suggestions" ADD CONSTRAINT "case_saved_suggestions_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_saved_suggestions" ADD CONSTRAINT "case_saved_suggestions_saved_by_users_id_fk" FOREIGN KEY ("saved_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_matching_weights" ADD CONSTRAINT "programme_matching_weights_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_matching_weights" ADD CONSTRAINT "programme_matching_weights_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_needs_programme_idx" ON "case_needs" USING btree ("programme_id");--> statement-breakpoint
CREATE INDEX "case_saved_suggestions_village_idx" ON "case_saved_suggestions" USING btree ("village_id");