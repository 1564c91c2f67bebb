CREATE INDEX "navigation_permissions_permission_id_idx" ON "navigation_permissions" USING btree ("permission_id");--> statement-breakpoint
CREATE INDEX "role_permissions_permission_id_idx" ON "role_permissions" USING btree ("permission_id");--> statement-breakpoint
CREATE INDEX "user_roles_role_id_idx" ON "user_roles" USING btree ("role_id");--> statement-breakpoint
CREATE INDEX "user_roles_assigned_by_idx" ON "user_roles" USING btree ("assigned_by");--> statement-breakpoint
CREATE INDEX "session_security_events_resolved_by_idx" ON "session_security_events" USING btree ("resolved_by");