CREATE TABLE "ambassador_pairings" (
	"id" text PRIMARY KEY NOT NULL,
	"programme_id" text NOT NULL,
	"ambassador_profile_id" text NOT NULL,
	"case_id" text NOT NULL,
	"status" text DEFAULT 'proposed' NOT NULL,
	"note" text,
	"reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"ended_at" timestamp with time zone,
	"ended_reason" text,
	"created_by" text,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "member_profiles" (
	"id" text PRIMARY KEY NOT NULL,
	"programme_id" text NOT NULL,
	"user_id" text NOT NULL,
	"case_id" text,
	"person_id" text,
	"display_name" text NOT NULL,
	"headline" text,
	"skills" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"services" text,
	"languages" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"commune_code" text,
	"website" text,
	"is_listed" boolean DEFAULT false NOT NULL,
	"visibility" jsonb DEFAULT '{"name":"members","headline":"public","skills":"public","services":"public","languages":"public","commune":"members","website":"public","email":"hidden"}'::jsonb NOT NULL,
	"is_ambassador" boolean DEFAULT false NOT NULL,
	"ambassador_availability" text,
	"ambassador_languages" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"search_public" text GENERATED ALWAYS AS (translate(lower(coalesce(case when coalesce(visibility->>'name', 'hidden') in ('public') then display_name end, '') || ' ' || coalesce(case when coalesce(visibility->>'headline', 'hidden') in ('public') then headline end, '') || ' ' || coalesce(case when coalesce(visibility->>'skills', 'hidden') in ('public') then skills::text end, '') || ' ' || coalesce(case when coalesce(visibility->>'services', 'hidden') in ('public') then services end, '')), 'àáâãäåāăąçćčďèéêëēėęěìíîïīįñńňòóôõöōőŕřśšşťùúûüūůűųýÿžźżłø', 'aaaaaaaaacccdeeeeeeeeiiiiiinnnooooooorrssstuuuuuuuuyyzzzlo')) STORED,
	"search_members" text GENERATED ALWAYS AS (translate(lower(coalesce(case when coalesce(visibility->>'name', 'hidden') in ('public', 'members') then display_name end, '') || ' ' || coalesce(case when coalesce(visibility->>'headline', 'hidden') in ('public', 'members') then headline end, '') || ' ' || coalesce(case when coalesce(visibility->>'skills', 'hidden') in ('public', 'members') then skills::text end, '') || ' ' || coalesce(case when coalesce(visibility->>'services', 'hidden') in ('public', 'members') then services end, '')), 'àáâãäåāăąçćčďèéêëēėęěìíîïīįñńňòóôõöōőŕřśšşťùúûüūůűųýÿžźżłø', 'aaaaaaaaacccdeeeeeeeeiiiiiinnnooooooorrssstuuuuuuuuyyzzzlo')) STORED,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "ambassador_pairings" ADD CONSTRAINT "ambassador_pairings_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ambassador_pairings" ADD CONSTRAINT "ambassador_pairings_ambassador_profile_id_member_profiles_id_fk" FOREIGN KEY ("ambassador_profile_id") REFERENCES "public"."member_profiles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ambassador_pairings" ADD CONSTRAINT "ambassador_pairings_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ambassador_pairings" ADD CONSTRAINT "ambassador_pairings_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "member_profiles" ADD CONSTRAINT "member_profiles_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "member_profiles" ADD CONSTRAINT "member_profiles_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "member_profiles" ADD CONSTRAINT "member_profiles_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "member_profiles" ADD CONSTRAINT "member_profiles_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "member_profiles" ADD CONSTRAINT "member_profiles_commune_code_communes_code_fk" FOREIGN KEY ("commune_code") REFERENCES "public"."communes"("code") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ambassador_pairings_case_idx" ON "ambassador_pairings" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "ambassador_pairings_ambassador_idx" ON "ambassador_pairings" USING btree ("ambassador_profile_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "member_profiles_user_unique" ON "member_profiles" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "member_profiles_programme_listed_idx" ON "member_profiles" USING btree ("programme_id","is_listed");--> statement-breakpoint
CREATE INDEX "member_profiles_case_idx" ON "member_profiles" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "member_profiles_search_public_trgm_idx" ON "member_profiles" USING gin ("search_public" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "member_profiles_search_members_trgm_idx" ON "member_profiles" USING gin ("search_members" gin_trgm_ops);