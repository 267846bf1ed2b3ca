CREATE TABLE "organisations" (
	"id" text PRIMARY KEY NOT NULL,
	"programme_id" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"email" text,
	"phone" text,
	"website" text,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "village_committee_members" (
	"village_id" text NOT NULL,
	"user_id" text NOT NULL,
	"committee_role" text DEFAULT 'councillor' NOT NULL,
	"is_contact" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "village_committee_members_pk" PRIMARY KEY("village_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "villages" (
	"id" text PRIMARY KEY NOT NULL,
	"programme_id" text NOT NULL,
	"commune_code" text NOT NULL,
	"slug" text NOT NULL,
	"status" text DEFAULT 'partner' NOT NULL,
	"joined_on" date,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "organisation_id" text;--> statement-breakpoint
ALTER TABLE "organisations" ADD CONSTRAINT "organisations_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "village_committee_members" ADD CONSTRAINT "village_committee_members_village_id_villages_id_fk" FOREIGN KEY ("village_id") REFERENCES "public"."villages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "village_committee_members" ADD CONSTRAINT "village_committee_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "villages" ADD CONSTRAINT "villages_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "villages" ADD CONSTRAINT "villages_commune_code_communes_code_fk" FOREIGN KEY ("commune_code") REFERENCES "public"."communes"("code") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "organisations_programme_idx" ON "organisations" USING btree ("programme_id","name");--> statement-breakpoint
CREATE INDEX "village_committee_members_user_idx" ON "village_committee_members" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "villages_programme_commune_unique" ON "villages" USING btree ("programme_id","commune_code");--> statement-breakpoint
CREATE UNIQUE INDEX "villages_programme_slug_unique" ON "villages" USING btree ("programme_id","slug");--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE set null ON UPDATE no action;