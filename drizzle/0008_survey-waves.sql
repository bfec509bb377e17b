CREATE TABLE "survey_waves" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"survey_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"send_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone,
	"remind_after_minutes" integer,
	"remind_at" timestamp with time zone,
	"reminded_at" timestamp with time zone,
	"audience" integer,
	"sent" integer,
	"not_reachable" integer,
	"completed" integer,
	"reminded" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "survey_waves" ADD CONSTRAINT "survey_waves_survey_id_surveys_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."surveys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "survey_waves_survey_number_key" ON "survey_waves" USING btree ("survey_id","number");--> statement-breakpoint
CREATE INDEX "survey_waves_send_idx" ON "survey_waves" USING btree ("send_at");--> statement-breakpoint
CREATE INDEX "survey_waves_remind_idx" ON "survey_waves" USING btree ("remind_at");