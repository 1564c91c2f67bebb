ALTER TABLE "user_sessions" ADD COLUMN "previous_refresh_token" varchar(64);--> statement-breakpoint
ALTER TABLE "user_sessions" ADD COLUMN "refresh_rotated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "user_sessions" ADD COLUMN "refresh_salt" varchar(64);--> statement-breakpoint
ALTER TABLE "user_sessions" ADD COLUMN "absolute_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "user_sessions" ADD COLUMN "revoked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "user_sessions" ADD COLUMN "revoked_reason" varchar(50);--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "failed_login_attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "last_failed_login_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "locked_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "password_changed_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "user_sessions_previous_refresh_token_idx" ON "user_sessions" USING btree ("previous_refresh_token");