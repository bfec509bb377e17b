CREATE TABLE "bridge_copies" (
	"bridge_message_id" uuid NOT NULL,
	"space_id" uuid NOT NULL,
	"outbox_key" text NOT NULL,
	CONSTRAINT "bridge_copies_bridge_message_id_space_id_pk" PRIMARY KEY("bridge_message_id","space_id")
);
--> statement-breakpoint
CREATE TABLE "bridge_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"community_id" uuid NOT NULL,
	"space_id" uuid NOT NULL,
	"member_id" uuid,
	"channel" text NOT NULL,
	"external_id" text NOT NULL,
	"address" text NOT NULL,
	"excerpt" text DEFAULT '' NOT NULL,
	"media_kind" text,
	"deleted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bridge_opt_outs" (
	"member_id" uuid PRIMARY KEY NOT NULL,
	"community_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bridge_pairs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"community_id" uuid NOT NULL,
	"space_a_id" uuid NOT NULL,
	"space_b_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bridges" (
	"community_id" uuid PRIMARY KEY NOT NULL,
	"enabled" boolean DEFAULT false NOT NULL,
	"paused_at" timestamp with time zone,
	"scope" text DEFAULT 'all' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "bridge_copies" ADD CONSTRAINT "bridge_copies_bridge_message_id_bridge_messages_id_fk" FOREIGN KEY ("bridge_message_id") REFERENCES "public"."bridge_messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bridge_copies" ADD CONSTRAINT "bridge_copies_space_id_spaces_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."spaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bridge_messages" ADD CONSTRAINT "bridge_messages_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bridge_messages" ADD CONSTRAINT "bridge_messages_space_id_spaces_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."spaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bridge_messages" ADD CONSTRAINT "bridge_messages_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bridge_opt_outs" ADD CONSTRAINT "bridge_opt_outs_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bridge_opt_outs" ADD CONSTRAINT "bridge_opt_outs_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bridge_pairs" ADD CONSTRAINT "bridge_pairs_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bridge_pairs" ADD CONSTRAINT "bridge_pairs_space_a_id_spaces_id_fk" FOREIGN KEY ("space_a_id") REFERENCES "public"."spaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bridge_pairs" ADD CONSTRAINT "bridge_pairs_space_b_id_spaces_id_fk" FOREIGN KEY ("space_b_id") REFERENCES "public"."spaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bridges" ADD CONSTRAINT "bridges_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "bridge_copies_outbox_key" ON "bridge_copies" USING btree ("outbox_key");--> statement-breakpoint
CREATE UNIQUE INDEX "bridge_messages_channel_external_key" ON "bridge_messages" USING btree ("channel","external_id");--> statement-breakpoint
CREATE INDEX "bridge_messages_created_idx" ON "bridge_messages" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "bridge_pairs_spaces_key" ON "bridge_pairs" USING btree ("space_a_id","space_b_id");--> statement-breakpoint
CREATE INDEX "bridge_pairs_community_idx" ON "bridge_pairs" USING btree ("community_id");--> statement-breakpoint
CREATE INDEX "bridge_pairs_space_b_idx" ON "bridge_pairs" USING btree ("space_b_id");