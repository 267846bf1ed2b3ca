CREATE TABLE "offer_match_digests" (
	"user_id" text NOT NULL,
	"day" date NOT NULL,
	"audience" text NOT NULL,
	"programme_id" text NOT NULL,
	"match_count" integer NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "offer_match_digests_pk" PRIMARY KEY("user_id","day","audience")
);
--> statement-breakpoint
CREATE TABLE "offer_matches" (
	"programme_id" text NOT NULL,
	"offer_id" text NOT NULL,
	"case_id" text NOT NULL,
	"score" integer NOT NULL,
	"reasons" jsonb NOT NULL,
	"matched_at" timestamp with time zone DEFAULT now() NOT NULL,
	"candidate_notified_on" date,
	"advisor_notified_on" date,
	CONSTRAINT "offer_matches_pk" PRIMARY KEY("offer_id","case_id")
);
--> statement-breakpoint
ALTER TABLE "case_needs" ADD COLUMN "is_offer_alert_wanted" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "offer_match_digests" ADD CONSTRAINT "offer_match_digests_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offer_match_digests" ADD CONSTRAINT "offer_match_digests_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offer_matches" ADD CONSTRAINT "offer_matches_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offer_matches" ADD CONSTRAINT "offer_matches_offer_id_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."offers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offer_matches" ADD CONSTRAINT "offer_matches_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "offer_match_digests_programme_idx" ON "offer_match_digests" USING btree ("programme_id","day");--> statement-breakpoint
CREATE INDEX "offer_matches_case_idx" ON "offer_matches" USING btree ("case_id","matched_at");--> statement-breakpoint
CREATE INDEX "offer_matches_programme_idx" ON "offer_matches" USING btree ("programme_id","matched_at");