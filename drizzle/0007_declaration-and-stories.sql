CREATE TABLE "declaration_signatures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"community_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"organisation_id" uuid NOT NULL,
	"member_id" uuid,
	"signer_name" text NOT NULL,
	"via" text NOT NULL,
	"signed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "declaration_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"community_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"text" text NOT NULL,
	"published_at" timestamp with time zone NOT NULL,
	"celebrated_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "declarations" (
	"community_id" uuid PRIMARY KEY NOT NULL,
	"version" integer NOT NULL,
	"reminded_at" timestamp with time zone NOT NULL,
	"print_token_hash" text,
	"print_token_expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "declarations_print_token_hash_unique" UNIQUE("print_token_hash")
);
--> statement-breakpoint
CREATE TABLE "stories" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"community_id" uuid NOT NULL,
	"author_id" uuid,
	"author_name" text NOT NULL,
	"anonymous" boolean DEFAULT false NOT NULL,
	"status" text NOT NULL,
	"text" text DEFAULT '' NOT NULL,
	"parts" jsonb,
	"step" integer,
	"paused_at" timestamp with time zone,
	"language" text NOT NULL,
	"submitted_at" timestamp with time zone,
	"reviewed_at" timestamp with time zone,
	"reject_reason" text,
	"publish_at" timestamp with time zone,
	"published_at" timestamp with time zone,
	"number" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "declaration_signatures" ADD CONSTRAINT "declaration_signatures_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "declaration_signatures" ADD CONSTRAINT "declaration_signatures_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "declaration_signatures" ADD CONSTRAINT "declaration_signatures_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "declaration_versions" ADD CONSTRAINT "declaration_versions_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "declarations" ADD CONSTRAINT "declarations_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stories" ADD CONSTRAINT "stories_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stories" ADD CONSTRAINT "stories_author_id_members_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."members"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "declaration_signatures_version_org_key" ON "declaration_signatures" USING btree ("community_id","version","organisation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "declaration_versions_community_version_key" ON "declaration_versions" USING btree ("community_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "stories_community_number_key" ON "stories" USING btree ("community_id","number");--> statement-breakpoint
CREATE INDEX "stories_community_status_idx" ON "stories" USING btree ("community_id","status","created_at");--> statement-breakpoint
CREATE INDEX "stories_author_idx" ON "stories" USING btree ("author_id");--> statement-breakpoint
CREATE INDEX "stories_due_idx" ON "stories" USING btree ("publish_at") WHERE status = 'approved';