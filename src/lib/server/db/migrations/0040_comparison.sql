CREATE TABLE "programme_budgets" (
	"id" text PRIMARY KEY NOT NULL,
	"programme_id" text NOT NULL,
	"year" integer NOT NULL,
	"amount_cents" bigint NOT NULL,
	"note" text,
	"updated_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "programmes" ADD COLUMN "is_in_comparison" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "programmes" ADD COLUMN "in_comparison_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "programme_budgets" ADD CONSTRAINT "programme_budgets_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programme_budgets" ADD CONSTRAINT "programme_budgets_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "programme_budgets_programme_year_unique" ON "programme_budgets" USING btree ("programme_id","year");