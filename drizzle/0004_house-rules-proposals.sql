CREATE TABLE "rule_proposals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"community_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"text" text NOT NULL,
	"proposed_by_id" uuid,
	"status" text DEFAULT 'open' NOT NULL,
	"decided_at" timestamp with time zone,
	"adopted_version" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "rules_reminded_version" integer;--> statement-breakpoint
ALTER TABLE "rule_proposals" ADD CONSTRAINT "rule_proposals_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rule_proposals" ADD CONSTRAINT "rule_proposals_proposed_by_id_members_id_fk" FOREIGN KEY ("proposed_by_id") REFERENCES "public"."members"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "rule_proposals_community_number_key" ON "rule_proposals" USING btree ("community_id","number");--> statement-breakpoint
CREATE INDEX "rule_proposals_status_idx" ON "rule_proposals" USING btree ("community_id","status");