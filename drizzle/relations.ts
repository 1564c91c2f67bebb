import { relations } from 'drizzle-orm';
import { apiKeys } from './api-keys';
import { auditLogs } from './audit';
import { avatarFiles } from './files';
import { navigationItems, navigationPermissions, userNavigationPreferences } from './navigation';
import { notificationPreferences, notifications } from './notifications';
import { userPreferences } from './preferences';
import { permissions, rolePermissions, roles, userRoles } from './rbac';
import { sessionActivity, sessionSecurityEvents, userSessions } from './sessions';
import { userSettings } from './settings';
import { emailVerificationTokens, passwordResetTokens } from './tokens';
import { users } from './users';

export const rolesRelations = relations(roles, ({ many }) => ({
  rolePermissions: many(rolePermissions),
  userRoles: many(userRoles),
}));

export const permissionsRelations = relations(permissions, ({ many }) => ({
  rolePermissions: many(rolePermissions),
  navigationPermissions: many(navigationPermissions),
}));

export const rolePermissionsRelations = relations(rolePermissions, ({ one }) => ({
  role: one(roles, { fields: [rolePermissions.roleId], references: [roles.id] }),
  permission: one(permissions, {
    fields: [rolePermissions.permissionId],
    references: [permissions.id],
  }),
}));

export const usersRelations = relations(users, ({ one, many }) => ({
  userRoles: many(userRoles, { relationName: 'userRoleUser' }),
  assignedUserRoles: many(userRoles, { relationName: 'userRoleAssignedBy' }),
  sessions: many(userSessions),
  preferences: one(userPreferences),
  settings: many(userSettings),
  navigationPreferences: many(userNavigationPreferences),
  avatarFiles: many(avatarFiles),
  securityEvents: many(sessionSecurityEvents, { relationName: 'securityEventUser' }),
  resolvedSecurityEvents: many(sessionSecurityEvents, {
    relationName: 'securityEventResolvedBy',
  }),
  notifications: many(notifications),
  notificationPreferences: many(notificationPreferences),
  auditLogs: many(auditLogs),
  emailVerificationTokens: many(emailVerificationTokens),
  passwordResetTokens: many(passwordResetTokens),
  apiKeys: many(apiKeys),
}));

export const userRolesRelations = relations(userRoles, ({ one }) => ({
  user: one(users, {
    fields: [userRoles.userId],
    references: [users.id],
    relationName: 'userRoleUser',
  }),
  role: one(roles, { fields: [userRoles.roleId], references: [roles.id] }),
  assignedByUser: one(users, {
    fields: [userRoles.assignedBy],
    references: [users.id],
    relationName: 'userRoleAssignedBy',
  }),
}));

export const userSessionsRelations = relations(userSessions, ({ one, many }) => ({
  user: one(users, { fields: [userSessions.userId], references: [users.id] }),
  activity: many(sessionActivity),
  securityEvents: many(sessionSecurityEvents),
  auditLogs: many(auditLogs),
}));

export const sessionActivityRelations = relations(sessionActivity, ({ one }) => ({
  session: one(userSessions, {
    fields: [sessionActivity.sessionId],
    references: [userSessions.id],
  }),
}));

export const sessionSecurityEventsRelations = relations(sessionSecurityEvents, ({ one }) => ({
  session: one(userSessions, {
    fields: [sessionSecurityEvents.sessionId],
    references: [userSessions.id],
  }),
  user: one(users, {
    fields: [sessionSecurityEvents.userId],
    references: [users.id],
    relationName: 'securityEventUser',
  }),
  resolvedByUser: one(users, {
    fields: [sessionSecurityEvents.resolvedBy],
    references: [users.id],
    relationName: 'securityEventResolvedBy',
  }),
}));

export const userPreferencesRelations = relations(userPreferences, ({ one }) => ({
  user: one(users, { fields: [userPreferences.userId], references: [users.id] }),
}));

export const navigationItemsRelations = relations(navigationItems, ({ one, many }) => ({
  parent: one(navigationItems, {
    fields: [navigationItems.parentId],
    references: [navigationItems.id],
    relationName: 'navigationItemParent',
  }),
  children: many(navigationItems, { relationName: 'navigationItemParent' }),
  navigationPermissions: many(navigationPermissions),
  userPreferences: many(userNavigationPreferences),
}));

export const navigationPermissionsRelations = relations(navigationPermissions, ({ one }) => ({
  navigationItem: one(navigationItems, {
    fields: [navigationPermissions.navigationItemId],
    references: [navigationItems.id],
  }),
  permission: one(permissions, {
    fields: [navigationPermissions.permissionId],
    references: [permissions.id],
  }),
}));

export const userNavigationPreferencesRelations = relations(
  userNavigationPreferences,
  ({ one }) => ({
    user: one(users, { fields: [userNavigationPreferences.userId], references: [users.id] }),
    navigationItem: one(navigationItems, {
      fields: [userNavigationPreferences.navigationItemId],
      references: [navigationItems.id],
    }),
  }),
);

export const userSettingsRelations = relations(userSettings, ({ one }) => ({
  user: one(users, { fields: [userSettings.userId], references: [users.id] }),
}));

export const avatarFilesRelations = relations(avatarFiles, ({ one }) => ({
  user: one(users, { fields: [avatarFiles.userId], references: [users.id] }),
}));

export const notificationsRelations = relations(notifications, ({ one }) => ({
  user: one(users, { fields: [notifications.userId], references: [users.id] }),
}));

export const notificationPreferencesRelations = relations(notificationPreferences, ({ one }) => ({
  user: one(users, { fields: [notificationPreferences.userId], references: [users.id] }),
}));

export const auditLogsRelations = relations(auditLogs, ({ one }) => ({
  user: one(users, { fields: [auditLogs.userId], references: [users.id] }),
  session: one(userSessions, { fields: [auditLogs.sessionId], references: [userSessions.id] }),
}));

export const emailVerificationTokensRelations = relations(emailVerificationTokens, ({ one }) => ({
  user: one(users, { fields: [emailVerificationTokens.userId], references: [users.id] }),
}));

export const passwordResetTokensRelations = relations(passwordResetTokens, ({ one }) => ({
  user: one(users, { fields: [passwordResetTokens.userId], references: [users.id] }),
}));

export const apiKeysRelations = relations(apiKeys, ({ one }) => ({
  user: one(users, { fields: [apiKeys.userId], references: [users.id] }),
}));
