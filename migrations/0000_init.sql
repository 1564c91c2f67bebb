CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"name" varchar(100) NOT NULL,
	"key_hash" varchar(255) NOT NULL,
	"key_prefix" varchar(20) NOT NULL,
	"scopes" jsonb,
	"last_used_at" timestamp with time zone,
	"last_used_ip" varchar(45),
	"expires_at" timestamp with time zone,
	"is_active" boolean DEFAULT true,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_logs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid,
	"session_id" uuid,
	"entity_type" varchar(100) NOT NULL,
	"entity_id" varchar(255),
	"action" text NOT NULL,
	"description" text,
	"old_values" jsonb,
	"new_values" jsonb,
	"ip_address" varchar(45),
	"user_agent" text,
	"source" varchar(50) DEFAULT 'web',
	"metadata" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "audit_logs_action_check" CHECK ("audit_logs"."action" in ('create', 'read', 'update', 'delete', 'login', 'logout'))
);
--> statement-breakpoint
CREATE TABLE "avatar_files" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"original_filename" varchar(255) NOT NULL,
	"mime_type" varchar(100) NOT NULL,
	"file_size" integer NOT NULL,
	"storage_path" varchar(500) NOT NULL,
	"thumbnails" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "navigation_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"parent_id" uuid,
	"key" varchar(100) NOT NULL,
	"title" varchar(200) NOT NULL,
	"type" text NOT NULL,
	"icon" varchar(100),
	"link" varchar(500),
	"target" text DEFAULT '_self',
	"sort_order" integer DEFAULT 0,
	"disabled" boolean DEFAULT false,
	"hidden" boolean DEFAULT false,
	"exact_match" boolean DEFAULT false,
	"badge_title" varchar(50),
	"badge_classes" varchar(200),
	"badge_variant" text,
	"show_in_default" boolean DEFAULT true,
	"show_in_compact" boolean DEFAULT true,
	"show_in_horizontal" boolean DEFAULT true,
	"show_in_mobile" boolean DEFAULT true,
	"meta" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "navigation_items_key_unique" UNIQUE("key"),
	CONSTRAINT "navigation_items_type_check" CHECK ("navigation_items"."type" in ('item', 'group', 'collapsible', 'divider', 'spacer')),
	CONSTRAINT "navigation_items_target_check" CHECK ("navigation_items"."target" in ('_self', '_blank', '_parent', '_top')),
	CONSTRAINT "navigation_items_badge_variant_check" CHECK ("navigation_items"."badge_variant" in ('default', 'primary', 'secondary', 'success', 'warning', 'error'))
);
--> statement-breakpoint
CREATE TABLE "navigation_permissions" (
	"navigation_item_id" uuid NOT NULL,
	"permission_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "navigation_permissions_pkey" PRIMARY KEY("navigation_item_id","permission_id")
);
--> statement-breakpoint
CREATE TABLE "user_navigation_preferences" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"navigation_item_id" uuid NOT NULL,
	"hidden" boolean,
	"custom_sort_order" integer,
	"pinned" boolean DEFAULT false,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "user_navigation_preferences_user_id_navigation_item_id_unique" UNIQUE("user_id","navigation_item_id")
);
--> statement-breakpoint
CREATE TABLE "notification_preferences" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"notification_type" varchar(50) NOT NULL,
	"email_enabled" boolean DEFAULT true,
	"push_enabled" boolean DEFAULT false,
	"desktop_enabled" boolean DEFAULT true,
	"sound_enabled" boolean DEFAULT true,
	"frequency" text DEFAULT 'immediate',
	"quiet_hours_start" time,
	"quiet_hours_end" time,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notification_preferences_user_id_notification_type_unique" UNIQUE("user_id","notification_type"),
	CONSTRAINT "notification_preferences_frequency_check" CHECK ("notification_preferences"."frequency" in ('immediate', 'daily', 'weekly', 'never'))
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"type" varchar(50) NOT NULL,
	"title" varchar(200) NOT NULL,
	"message" text NOT NULL,
	"data" jsonb,
	"action_url" varchar(500),
	"read" boolean DEFAULT false,
	"read_at" timestamp with time zone,
	"archived" boolean DEFAULT false,
	"archived_at" timestamp with time zone,
	"priority" text DEFAULT 'normal',
	"expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notifications_priority_check" CHECK ("notifications"."priority" in ('low', 'normal', 'high', 'urgent'))
);
--> statement-breakpoint
CREATE TABLE "user_preferences" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"theme" varchar(50) DEFAULT 'default',
	"scheme" text DEFAULT 'light',
	"layout" text DEFAULT 'classic',
	"language" varchar(10) DEFAULT 'en',
	"timezone" varchar(100) DEFAULT 'UTC',
	"date_format" text DEFAULT 'MM/DD/YYYY',
	"time_format" text DEFAULT '12h',
	"navigation_collapsed" boolean DEFAULT false,
	"navigation_type" text DEFAULT 'default',
	"navigation_position" text DEFAULT 'left',
	"notifications_email" boolean DEFAULT true,
	"notifications_push" boolean DEFAULT false,
	"notifications_desktop" boolean DEFAULT true,
	"notifications_sound" boolean DEFAULT true,
	"notifications_security" boolean DEFAULT true,
	"notifications_updates" boolean DEFAULT true,
	"notifications_marketing" boolean DEFAULT false,
	"notifications_reminders" boolean DEFAULT true,
	"profile_visibility" text DEFAULT 'public',
	"activity_tracking" boolean DEFAULT true,
	"analytics_opt_out" boolean DEFAULT false,
	"data_sharing" boolean DEFAULT false,
	"high_contrast" boolean DEFAULT false,
	"font_size" text DEFAULT 'medium',
	"reduced_motion" boolean DEFAULT false,
	"screen_reader" boolean DEFAULT false,
	"animations" boolean DEFAULT true,
	"lazy_loading" boolean DEFAULT true,
	"caching" boolean DEFAULT true,
	"compression" boolean DEFAULT true,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "user_preferences_user_id_unique" UNIQUE("user_id"),
	CONSTRAINT "user_preferences_scheme_check" CHECK ("user_preferences"."scheme" in ('light', 'dark', 'auto')),
	CONSTRAINT "user_preferences_layout_check" CHECK ("user_preferences"."layout" in ('classic', 'compact', 'enterprise', 'empty')),
	CONSTRAINT "user_preferences_date_format_check" CHECK ("user_preferences"."date_format" in ('MM/DD/YYYY', 'DD/MM/YYYY', 'YYYY-MM-DD')),
	CONSTRAINT "user_preferences_time_format_check" CHECK ("user_preferences"."time_format" in ('12h', '24h')),
	CONSTRAINT "user_preferences_navigation_type_check" CHECK ("user_preferences"."navigation_type" in ('default', 'compact', 'horizontal')),
	CONSTRAINT "user_preferences_navigation_position_check" CHECK ("user_preferences"."navigation_position" in ('left', 'right', 'top')),
	CONSTRAINT "user_preferences_profile_visibility_check" CHECK ("user_preferences"."profile_visibility" in ('public', 'private', 'friends')),
	CONSTRAINT "user_preferences_font_size_check" CHECK ("user_preferences"."font_size" in ('small', 'medium', 'large', 'x-large'))
);
--> statement-breakpoint
CREATE TABLE "permissions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"resource" varchar(100) NOT NULL,
	"action" varchar(50) NOT NULL,
	"description" varchar(255),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "permissions_resource_action_unique" UNIQUE("resource","action")
);
--> statement-breakpoint
CREATE TABLE "role_permissions" (
	"role_id" uuid NOT NULL,
	"permission_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "role_permissions_pkey" PRIMARY KEY("role_id","permission_id")
);
--> statement-breakpoint
CREATE TABLE "roles" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" varchar(50) NOT NULL,
	"description" varchar(255),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "roles_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "user_roles" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"role_id" uuid NOT NULL,
	"is_active" boolean DEFAULT true,
	"assigned_at" timestamp with time zone DEFAULT now(),
	"assigned_by" uuid,
	"expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "user_roles_user_id_role_id_unique" UNIQUE("user_id","role_id")
);
--> statement-breakpoint
CREATE TABLE "session_activity" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"session_id" uuid NOT NULL,
	"activity_type" varchar(50) NOT NULL,
	"resource" varchar(200),
	"method" varchar(10),
	"status_code" integer,
	"ip_address" varchar(45),
	"user_agent" text,
	"request_data" jsonb,
	"response_data" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "session_security_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"session_id" uuid,
	"user_id" uuid,
	"event_type" varchar(50) NOT NULL,
	"severity" varchar(20) NOT NULL,
	"description" text NOT NULL,
	"ip_address" varchar(45),
	"user_agent" text,
	"event_data" jsonb,
	"resolved" boolean DEFAULT false,
	"resolved_at" timestamp with time zone,
	"resolved_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "session_security_events_severity_check" CHECK ("session_security_events"."severity" in ('low', 'medium', 'high', 'critical'))
);
--> statement-breakpoint
CREATE TABLE "user_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"refresh_token" varchar(500) NOT NULL,
	"user_agent" varchar(500),
	"ip_address" varchar(45),
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"device_type" varchar(20),
	"device_os" varchar(50),
	"device_browser" varchar(50),
	"device_name" varchar(100),
	"location_country" varchar(100),
	"location_region" varchar(100),
	"location_city" varchar(100),
	"location_timezone" varchar(100),
	"location_latitude" numeric(10, 8),
	"location_longitude" numeric(11, 8),
	"last_activity_at" timestamp with time zone,
	"access_token_hash" varchar(255),
	"is_current_session" boolean DEFAULT false,
	"activity_count" integer DEFAULT 0,
	"is_suspicious" boolean DEFAULT false,
	"security_flags" jsonb,
	"session_data" jsonb,
	CONSTRAINT "user_sessions_refresh_token_unique" UNIQUE("refresh_token")
);
--> statement-breakpoint
CREATE TABLE "setting_templates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"category" varchar(50) NOT NULL,
	"key" varchar(100) NOT NULL,
	"default_value" text NOT NULL,
	"data_type" varchar(20) DEFAULT 'string',
	"description" text,
	"validation_rules" jsonb,
	"user_configurable" boolean DEFAULT true,
	"required" boolean DEFAULT false,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "setting_templates_category_key_unique" UNIQUE("category","key")
);
--> statement-breakpoint
CREATE TABLE "system_settings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"category" varchar(50) NOT NULL,
	"key" varchar(100) NOT NULL,
	"value" text NOT NULL,
	"data_type" varchar(20) DEFAULT 'string',
	"description" text,
	"is_public" boolean DEFAULT false,
	"requires_restart" boolean DEFAULT false,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "system_settings_category_key_unique" UNIQUE("category","key")
);
--> statement-breakpoint
CREATE TABLE "themes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" varchar(50) NOT NULL,
	"display_name" varchar(100) NOT NULL,
	"description" text,
	"preview_image_url" varchar(500),
	"color_palette" jsonb,
	"css_variables" jsonb,
	"is_active" boolean DEFAULT true,
	"is_default" boolean DEFAULT false,
	"sort_order" integer DEFAULT 0,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "themes_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "user_settings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"category" varchar(50) NOT NULL,
	"key" varchar(100) NOT NULL,
	"value" text NOT NULL,
	"data_type" varchar(20) DEFAULT 'string',
	"description" text,
	"is_system" boolean DEFAULT false,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "user_settings_user_id_category_key_unique" UNIQUE("user_id","category","key")
);
--> statement-breakpoint
CREATE TABLE "email_verification_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"token" varchar(255) NOT NULL,
	"email" varchar(255) NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used" boolean DEFAULT false,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "email_verification_tokens_token_unique" UNIQUE("token")
);
--> statement-breakpoint
CREATE TABLE "password_reset_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"token" varchar(255) NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used" boolean DEFAULT false,
	"used_at" timestamp with time zone,
	"ip_address" varchar(45),
	"user_agent" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "password_reset_tokens_token_unique" UNIQUE("token")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" varchar(255) NOT NULL,
	"username" varchar(100) NOT NULL,
	"password" varchar(255) NOT NULL,
	"first_name" varchar(100),
	"last_name" varchar(100),
	"is_active" boolean DEFAULT true,
	"last_login_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"avatar_url" varchar(500),
	"name" varchar(200),
	"status" text DEFAULT 'pending',
	"email_verified" boolean DEFAULT false,
	"email_verified_at" timestamp with time zone,
	"two_factor_enabled" boolean DEFAULT false,
	"two_factor_secret" varchar(255),
	"two_factor_backup_codes" jsonb,
	"deleted_at" timestamp with time zone,
	"bio" text,
	"timezone" varchar(100) DEFAULT 'UTC',
	"language" varchar(10) DEFAULT 'en',
	"date_of_birth" date,
	"phone" varchar(20),
	CONSTRAINT "users_email_unique" UNIQUE("email"),
	CONSTRAINT "users_username_unique" UNIQUE("username"),
	CONSTRAINT "users_status_check" CHECK ("users"."status" in ('active', 'inactive', 'suspended', 'pending'))
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_logs" ADD CONSTRAINT "audit_logs_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_logs" ADD CONSTRAINT "audit_logs_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "public"."user_sessions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "avatar_files" ADD CONSTRAINT "avatar_files_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "navigation_items" ADD CONSTRAINT "navigation_items_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "public"."navigation_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "navigation_permissions" ADD CONSTRAINT "navigation_permissions_navigation_item_id_fkey" FOREIGN KEY ("navigation_item_id") REFERENCES "public"."navigation_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "navigation_permissions" ADD CONSTRAINT "navigation_permissions_permission_id_fkey" FOREIGN KEY ("permission_id") REFERENCES "public"."permissions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_navigation_preferences" ADD CONSTRAINT "user_navigation_preferences_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_navigation_preferences" ADD CONSTRAINT "user_navigation_preferences_navigation_item_id_fkey" FOREIGN KEY ("navigation_item_id") REFERENCES "public"."navigation_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_preferences" ADD CONSTRAINT "notification_preferences_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_preferences" ADD CONSTRAINT "user_preferences_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_permissions" ADD CONSTRAINT "role_permissions_role_id_fkey" FOREIGN KEY ("role_id") REFERENCES "public"."roles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_permissions" ADD CONSTRAINT "role_permissions_permission_id_fkey" FOREIGN KEY ("permission_id") REFERENCES "public"."permissions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_roles" ADD CONSTRAINT "user_roles_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_roles" ADD CONSTRAINT "user_roles_role_id_fkey" FOREIGN KEY ("role_id") REFERENCES "public"."roles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_roles" ADD CONSTRAINT "user_roles_assigned_by_fkey" FOREIGN KEY ("assigned_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_activity" ADD CONSTRAINT "session_activity_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "public"."user_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_security_events" ADD CONSTRAINT "session_security_events_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "public"."user_sessions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_security_events" ADD CONSTRAINT "session_security_events_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_security_events" ADD CONSTRAINT "session_security_events_resolved_by_fkey" FOREIGN KEY ("resolved_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_sessions" ADD CONSTRAINT "user_sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_settings" ADD CONSTRAINT "user_settings_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_verification_tokens" ADD CONSTRAINT "email_verification_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "password_reset_tokens" ADD CONSTRAINT "password_reset_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_keys_user_id_idx" ON "api_keys" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "api_keys_key_hash_idx" ON "api_keys" USING btree ("key_hash");--> statement-breakpoint
CREATE INDEX "api_keys_key_prefix_idx" ON "api_keys" USING btree ("key_prefix");--> statement-breakpoint
CREATE INDEX "api_keys_is_active_idx" ON "api_keys" USING btree ("is_active");--> statement-breakpoint
CREATE INDEX "api_keys_expires_at_idx" ON "api_keys" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "api_keys_last_used_at_idx" ON "api_keys" USING btree ("last_used_at");--> statement-breakpoint
CREATE INDEX "audit_logs_user_id_created_at_idx" ON "audit_logs" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "audit_logs_entity_type_entity_id_idx" ON "audit_logs" USING btree ("entity_type","entity_id");--> statement-breakpoint
CREATE INDEX "audit_logs_session_id_idx" ON "audit_logs" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "audit_logs_entity_id_idx" ON "audit_logs" USING btree ("entity_id");--> statement-breakpoint
CREATE INDEX "audit_logs_action_idx" ON "audit_logs" USING btree ("action");--> statement-breakpoint
CREATE INDEX "audit_logs_created_at_idx" ON "audit_logs" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "avatar_files_user_id_idx" ON "avatar_files" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "avatar_files_mime_type_idx" ON "avatar_files" USING btree ("mime_type");--> statement-breakpoint
CREATE INDEX "navigation_items_parent_id_idx" ON "navigation_items" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "navigation_items_type_idx" ON "navigation_items" USING btree ("type");--> statement-breakpoint
CREATE INDEX "navigation_items_sort_order_idx" ON "navigation_items" USING btree ("sort_order");--> statement-breakpoint
CREATE INDEX "navigation_items_disabled_idx" ON "navigation_items" USING btree ("disabled");--> statement-breakpoint
CREATE INDEX "navigation_items_hidden_idx" ON "navigation_items" USING btree ("hidden");--> statement-breakpoint
CREATE INDEX "user_navigation_preferences_navigation_item_id_idx" ON "user_navigation_preferences" USING btree ("navigation_item_id");--> statement-breakpoint
CREATE INDEX "user_navigation_preferences_pinned_idx" ON "user_navigation_preferences" USING btree ("pinned");--> statement-breakpoint
CREATE INDEX "notification_preferences_notification_type_idx" ON "notification_preferences" USING btree ("notification_type");--> statement-breakpoint
CREATE INDEX "notifications_user_id_read_idx" ON "notifications" USING btree ("user_id","read");--> statement-breakpoint
CREATE INDEX "notifications_user_id_type_idx" ON "notifications" USING btree ("user_id","type");--> statement-breakpoint
CREATE INDEX "notifications_type_idx" ON "notifications" USING btree ("type");--> statement-breakpoint
CREATE INDEX "notifications_read_idx" ON "notifications" USING btree ("read");--> statement-breakpoint
CREATE INDEX "notifications_archived_idx" ON "notifications" USING btree ("archived");--> statement-breakpoint
CREATE INDEX "notifications_priority_idx" ON "notifications" USING btree ("priority");--> statement-breakpoint
CREATE INDEX "notifications_expires_at_idx" ON "notifications" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "user_preferences_theme_idx" ON "user_preferences" USING btree ("theme");--> statement-breakpoint
CREATE INDEX "user_preferences_language_idx" ON "user_preferences" USING btree ("language");--> statement-breakpoint
CREATE INDEX "permissions_action_idx" ON "permissions" USING btree ("action");--> statement-breakpoint
CREATE INDEX "user_roles_user_id_is_active_idx" ON "user_roles" USING btree ("user_id","is_active");--> statement-breakpoint
CREATE INDEX "session_activity_session_id_activity_type_idx" ON "session_activity" USING btree ("session_id","activity_type");--> statement-breakpoint
CREATE INDEX "session_activity_activity_type_idx" ON "session_activity" USING btree ("activity_type");--> statement-breakpoint
CREATE INDEX "session_activity_resource_idx" ON "session_activity" USING btree ("resource");--> statement-breakpoint
CREATE INDEX "session_activity_created_at_idx" ON "session_activity" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "session_security_events_session_id_idx" ON "session_security_events" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "session_security_events_user_id_idx" ON "session_security_events" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "session_security_events_event_type_idx" ON "session_security_events" USING btree ("event_type");--> statement-breakpoint
CREATE INDEX "session_security_events_severity_idx" ON "session_security_events" USING btree ("severity");--> statement-breakpoint
CREATE INDEX "session_security_events_resolved_idx" ON "session_security_events" USING btree ("resolved");--> statement-breakpoint
CREATE INDEX "session_security_events_created_at_idx" ON "session_security_events" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "user_sessions_user_id_idx" ON "user_sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "user_sessions_expires_at_idx" ON "user_sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "user_sessions_device_type_idx" ON "user_sessions" USING btree ("device_type");--> statement-breakpoint
CREATE INDEX "user_sessions_device_os_idx" ON "user_sessions" USING btree ("device_os");--> statement-breakpoint
CREATE INDEX "user_sessions_location_country_idx" ON "user_sessions" USING btree ("location_country");--> statement-breakpoint
CREATE INDEX "user_sessions_last_activity_at_idx" ON "user_sessions" USING btree ("last_activity_at");--> statement-breakpoint
CREATE INDEX "user_sessions_is_current_session_idx" ON "user_sessions" USING btree ("is_current_session");--> statement-breakpoint
CREATE INDEX "user_sessions_is_suspicious_idx" ON "user_sessions" USING btree ("is_suspicious");--> statement-breakpoint
CREATE INDEX "setting_templates_user_configurable_idx" ON "setting_templates" USING btree ("user_configurable");--> statement-breakpoint
CREATE INDEX "system_settings_is_public_idx" ON "system_settings" USING btree ("is_public");--> statement-breakpoint
CREATE INDEX "themes_is_active_idx" ON "themes" USING btree ("is_active");--> statement-breakpoint
CREATE INDEX "themes_is_default_idx" ON "themes" USING btree ("is_default");--> statement-breakpoint
CREATE INDEX "themes_sort_order_idx" ON "themes" USING btree ("sort_order");--> statement-breakpoint
CREATE INDEX "user_settings_category_idx" ON "user_settings" USING btree ("category");--> statement-breakpoint
CREATE INDEX "user_settings_is_system_idx" ON "user_settings" USING btree ("is_system");--> statement-breakpoint
CREATE INDEX "email_verification_tokens_user_id_idx" ON "email_verification_tokens" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "email_verification_tokens_email_idx" ON "email_verification_tokens" USING btree ("email");--> statement-breakpoint
CREATE INDEX "email_verification_tokens_expires_at_idx" ON "email_verification_tokens" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "email_verification_tokens_used_idx" ON "email_verification_tokens" USING btree ("used");--> statement-breakpoint
CREATE INDEX "password_reset_tokens_user_id_idx" ON "password_reset_tokens" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "password_reset_tokens_expires_at_idx" ON "password_reset_tokens" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "password_reset_tokens_used_idx" ON "password_reset_tokens" USING btree ("used");--> statement-breakpoint
CREATE INDEX "users_is_active_idx" ON "users" USING btree ("is_active");--> statement-breakpoint
CREATE INDEX "users_status_idx" ON "users" USING btree ("status");--> statement-breakpoint
CREATE INDEX "users_email_verified_idx" ON "users" USING btree ("email_verified");--> statement-breakpoint
CREATE INDEX "users_two_factor_enabled_idx" ON "users" USING btree ("two_factor_enabled");--> statement-breakpoint
CREATE INDEX "users_deleted_at_idx" ON "users" USING btree ("deleted_at");