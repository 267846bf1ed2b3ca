CREATE TABLE "programme_hosts" (
	"host" text PRIMARY KEY NOT NULL,
	"programme_id" text NOT NULL,
	"is_primary" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "programme_hosts" ADD CONSTRAINT "programme_hosts_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "programme_hosts_programme_idx" ON "programme_hosts" USING btree ("programme_id");--> statement-breakpoint
CREATE UNIQUE INDEX "programme_hosts_one_primary" ON "programme_hosts" USING btree ("programme_id") WHERE "programme_hosts"."is_primary";