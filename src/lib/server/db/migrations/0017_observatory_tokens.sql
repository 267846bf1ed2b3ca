CREATE TABLE "observatory_tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"programme_id" text NOT NULL,
	"label" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "observatory_tokens" ADD CONSTRAINT "observatory_tokens_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."programmes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "observatory_tokens" ADD CONSTRAINT "observatory_tokens_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "observatory_tokens_hash_unique" ON "observatory_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "observatory_tokens_programme_idx" ON "observatory_tokens" USING btree ("programme_id","created_at");