DROP INDEX "avatar_files_user_id_idx";--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "email_status" text DEFAULT 'skipped' NOT NULL;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "email_scheduled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "email_sent_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "channels" jsonb;--> statement-breakpoint
CREATE INDEX "notifications_user_id_created_at_id_idx" ON "notifications" USING btree ("user_id","created_at","id");--> statement-breakpoint
CREATE INDEX "notifications_email_due_idx" ON "notifications" USING btree ("email_scheduled_at") WHERE "notifications"."email_status" in ('pending', 'held');--> statement-breakpoint
CREATE UNIQUE INDEX "themes_single_default_idx" ON "themes" USING btree ("is_default") WHERE "themes"."is_default";--> statement-breakpoint
ALTER TABLE "avatar_files" ADD CONSTRAINT "avatar_files_user_id_unique" UNIQUE("user_id");--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_email_status_check" CHECK ("notifications"."email_status" in ('pending', 'held', 'digest', 'skipped', 'sent', 'failed'));