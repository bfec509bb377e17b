ALTER TABLE "members" ADD COLUMN "erase_requested_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "members_erase_requested_idx" ON "members" USING btree ("erase_requested_at") WHERE erase_requested_at is not null;--> statement-breakpoint
CREATE INDEX "answers_member_idx" ON "answers" USING btree ("member_id");--> statement-breakpoint
CREATE INDEX "questions_asked_by_idx" ON "questions" USING btree ("asked_by_id");--> statement-breakpoint
CREATE INDEX "bridge_messages_member_idx" ON "bridge_messages" USING btree ("member_id");