CREATE TABLE "commune_connectivity" (
	"commune_code" text PRIMARY KEY NOT NULL,
	"fibre_share" numeric(4, 3),
	"level" text,
	"source" text,
	"measured_at" date,
	"override_level" text,
	"override_note" text,
	"overridden_by" text,
	"overridden_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "commune_connectivity_fibre_share_range" CHECK ("commune_connectivity"."fibre_share" between 0 and 1)
);
--> statement-breakpoint
CREATE TABLE "workspaces" (
	"id" text PRIMARY KEY NOT NULL,
	"programme_id" text NOT NULL,
	"organisation_id" text,
	"commune_code" text NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"address" text,
	"lat" double precision,
	"lon" double precision,
	"capacity" integer,
	"equipment" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"connection" text,
	"prices" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"opening_hours_fr" text,
	"opening_hours_en" text,
	"description_fr" text,
	"description_en" text,
	"contact_email" text,
	"contact_phone" text,
	"website" text,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "offer_disclosures" (
	"offer_id" text NOT NULL,
	"user_id" text NOT NULL,
	"approved_by" text,
	"approved_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "offer_disclosures_pk" PRIMARY KEY("offer_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "offers" (
	"id" text PRIMARY KEY NOT NULL,
	"programme_id" text NOT NULL,
	"kind" text NOT NULL,
	"title_fr" text NOT NULL,
	"title_en" text,
	"description_fr" text,
	"description_en" text,
	"commune_code" text NOT NULL,
	"village_id" text,
	"price" integer,
	"surface_m2" integer,
	"rooms" integer,
	"status" text DEFAULT 'available' NOT NULL,
	"published_at" timestamp with time zone,
	"expires_at" timestamp with time zone NOT NULL,
	"organisation_id" text,
	"created_by" text,
	"contact_email" text,
	"contact_phone" text,
	"is_anonymised" boolean DEFAULT false NOT NULL,
	"sector" text,
	"area_label" text,
	"expiry_reminded_at" timestamp with time zone,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "programmes" ADD COLUMN "metropole_lat" double precision;--> statement-breakpoint
ALTER TABLE "programmes" ADD COLUMN "metropole_lon" double precision;--> statement-breakpoint
ALTER TABLE "villages" ADD COLUMN "presentation_fr" text;--> statement-breakpoint
ALTER TABLE "villages" ADD COLUMN "presentation_en" text;--> statement-breakpoint
ALTER TABLE "villages" ADD COLUMN "services" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "villages" ADD COLUMN "committee_contact" jsonb;--> statement-breakpoint
ALTER TABLE "commune_connectivity" ADD CONSTRAINT "commune_connectivity_commune_code_communes_code_fk" FOREIGN KEY ("commune_code") REFERENCES "public"."communes"("code") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commune_connectivity" ADD CONSTRAINT "commune_connectivity_overridden_by_users_id_fk" FOREIGN KEY ("overridden_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workspaces" ADD CONSTRAINT "workspaces_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workspaces" ADD CONSTRAINT "workspaces_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workspaces" ADD CONSTRAINT "workspaces_commune_code_communes_code_fk" FOREIGN KEY ("commune_code") REFERENCES "public"."communes"("code") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offer_disclosures" ADD CONSTRAINT "offer_disclosures_offer_id_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."offers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offer_disclosures" ADD CONSTRAINT "offer_disclosures_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offer_disclosures" ADD CONSTRAINT "offer_disclosures_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offers" ADD CONSTRAINT "offers_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offers" ADD CONSTRAINT "offers_commune_code_communes_code_fk" FOREIGN KEY ("commune_code") REFERENCES "public"."communes"("code") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offers" ADD CONSTRAINT "offers_village_id_villages_id_fk" FOREIGN KEY ("village_id") REFERENCES "public"."villages"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offers" ADD CONSTRAINT "offers_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offers" ADD CONSTRAINT "offers_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "commune_connectivity_effective_level_idx" ON "commune_connectivity" USING btree (coalesce("override_level", "level"));--> statement-breakpoint
CREATE UNIQUE INDEX "workspaces_programme_slug_unique" ON "workspaces" USING btree ("programme_id","slug");--> statement-breakpoint
CREATE INDEX "workspaces_organisation_idx" ON "workspaces" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "workspaces_commune_idx" ON "workspaces" USING btree ("commune_code");--> statement-breakpoint
CREATE INDEX "offer_disclosures_user_idx" ON "offer_disclosures" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "offers_programme_public_idx" ON "offers" USING btree ("programme_id","status","expires_at");--> statement-breakpoint
CREATE INDEX "offers_village_idx" ON "offers" USING btree ("village_id");--> statement-breakpoint
CREATE INDEX "offers_organisation_idx" ON "offers" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "offers_expires_idx" ON "offers" USING btree ("expires_at");