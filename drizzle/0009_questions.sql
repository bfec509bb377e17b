CREATE TABLE "answers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"question_id" uuid NOT NULL,
	"community_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"text" text NOT NULL,
	"language" text NOT NULL,
	"member_id" uuid,
	"space_id" uuid,
	"via" text NOT NULL,
	"asker_saw" boolean DEFAULT false NOT NULL,
	"hidden" boolean DEFAULT false NOT NULL,
	"search" "tsvector" GENERATED ALWAYS AS (case when language = 'en' then to_tsvector('english'::regconfig, text) else to_tsvector('dutch'::regconfig, text) end) STORED NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "question_settings" (
	"community_id" uuid PRIMARY KEY NOT NULL,
	"escalate_after_hours" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "questions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"community_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"text" text NOT NULL,
	"language" text NOT NULL,
	"asked_by_id" uuid,
	"space_id" uuid,
	"asked_channel" text,
	"asked_address" text,
	"asked_message_id" text,
	"solved_at" timestamp with time zone,
	"solved_answer_id" uuid,
	"escalated_at" timestamp with time zone,
	"notified_through" integer DEFAULT 0 NOT NULL,
	"notified_at" timestamp with time zone,
	"notify_due_at" timestamp with time zone,
	"hidden" boolean DEFAULT false NOT NULL,
	"search" "tsvector" GENERATED ALWAYS AS (case when language = 'en' then to_tsvector('english'::regconfig, text) else to_tsvector('dutch'::regconfig, text) end) STORED NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "answers" ADD CONSTRAINT "answers_question_id_questions_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."questions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "answers" ADD CONSTRAINT "answers_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "answers" ADD CONSTRAINT "answers_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "answers" ADD CONSTRAINT "answers_space_id_spaces_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."spaces"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "question_settings" ADD CONSTRAINT "question_settings_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "questions" ADD CONSTRAINT "questions_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "questions" ADD CONSTRAINT "questions_asked_by_id_members_id_fk" FOREIGN KEY ("asked_by_id") REFERENCES "public"."members"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "questions" ADD CONSTRAINT "questions_space_id_spaces_id_fk" FOREIGN KEY ("space_id") REFERENCES "public"."spaces"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "questions" ADD CONSTRAINT "questions_solved_answer_id_answers_id_fk" FOREIGN KEY ("solved_answer_id") REFERENCES "public"."answers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "answers_question_number_key" ON "answers" USING btree ("question_id","number");--> statement-breakpoint
CREATE INDEX "answers_search_idx" ON "answers" USING gin ("search");--> statement-breakpoint
CREATE INDEX "answers_community_idx" ON "answers" USING btree ("community_id");--> statement-breakpoint
CREATE UNIQUE INDEX "questions_community_number_key" ON "questions" USING btree ("community_id","number");--> statement-breakpoint
CREATE INDEX "questions_search_idx" ON "questions" USING gin ("search");--> statement-breakpoint
CREATE INDEX "questions_waiting_idx" ON "questions" USING btree ("created_at") WHERE escalated_at is null and solved_at is null;--> statement-breakpoint
CREATE INDEX "questions_asked_message_idx" ON "questions" USING btree ("asked_channel","asked_message_id");--> statement-breakpoint
CREATE INDEX "questions_notify_due_idx" ON "questions" USING btree ("notify_due_at") WHERE notify_due_at is not null;