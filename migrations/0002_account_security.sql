ALTER TABLE "user_sessions" ADD COLUMN "reauthenticated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "email_verification_tokens" ADD COLUMN "previous_email" varchar(255);--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "two_factor_last_step" integer;