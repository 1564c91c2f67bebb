import type {
  ColorPalette,
  NewNavigationItem,
  NewNotificationPreference,
  NewSettingTemplate,
  NewSystemSetting,
  NewUser,
  NewUserPreference,
  NewUserSetting,
} from '../../drizzle/index';
import { DEFAULT_NOTIFICATION_PREFERENCES } from '../../src/modules/notifications/defaults';

type Row<T> = Omit<T, 'id' | 'createdAt' | 'updatedAt'>;
type PermissionKeyOf<P> = P extends {
  resource: infer R extends string;
  action: infer A extends string;
}
  ? `${R}:${A}`
  : never;

export const seedRoles = [
  { name: 'admin', description: 'Administrator with full access' },
  { name: 'user', description: 'Regular user with limited access' },
] as const;

export type SeedRoleName = (typeof seedRoles)[number]['name'];

export const seedPermissions = [
  { resource: 'users', action: 'create', description: 'Create users' },
  { resource: 'users', action: 'read', description: 'View users' },
  { resource: 'users', action: 'update', description: 'Update users' },
  { resource: 'users', action: 'delete', description: 'Delete users' },
  { resource: 'roles', action: 'create', description: 'Create roles' },
  { resource: 'roles', action: 'read', description: 'View roles' },
  { resource: 'roles', action: 'update', description: 'Update roles' },
  { resource: 'roles', action: 'delete', description: 'Delete roles' },
  { resource: 'permissions', action: 'read', description: 'View permissions' },
  { resource: 'permissions', action: 'assign', description: 'Assign permissions to roles' },
  { resource: 'profile', action: 'read', description: 'View own profile' },
  { resource: 'profile', action: 'update', description: 'Update own profile' },
  { resource: 'navigation', action: 'view', description: 'View navigation' },
  { resource: 'navigation', action: 'manage', description: 'Manage navigation items' },
  { resource: 'dashboard', action: 'view', description: 'View the dashboard' },
  { resource: 'dashboard', action: 'analytics', description: 'View dashboard analytics' },
  { resource: 'settings', action: 'view', description: 'View settings' },
  { resource: 'settings', action: 'update', description: 'Update settings' },
  { resource: 'settings', action: 'theme', description: 'Change the theme' },
  { resource: 'settings', action: 'notifications', description: 'Manage notification settings' },
  { resource: 'profile', action: 'avatar', description: 'Upload and remove own avatar' },
  { resource: 'profile', action: 'preferences', description: 'Manage own preferences' },
  { resource: 'system', action: 'monitor', description: 'View system monitoring' },
  { resource: 'system', action: 'logs', description: 'View system logs' },
  { resource: 'system', action: 'settings', description: 'Manage system settings' },
  { resource: 'profile', action: 'security', description: 'Manage own password, email, two-factor and re-authentication' },
  { resource: 'profile', action: 'activity', description: 'View own audit trail' },
  { resource: 'sessions', action: 'read', description: 'View own sessions' },
  { resource: 'sessions', action: 'update', description: 'Record activity of own session' },
  { resource: 'sessions', action: 'delete', description: 'Revoke own sessions' },
  { resource: 'api_keys', action: 'create', description: 'Create own API keys' },
  { resource: 'api_keys', action: 'read', description: 'View own API keys' },
  { resource: 'api_keys', action: 'update', description: 'Rotate and change own API keys' },
  { resource: 'api_keys', action: 'delete', description: 'Revoke own API keys' },
  { resource: 'api_keys', action: 'validate', description: 'Validate API keys presented to a service (owner and scopes)' },
  { resource: 'notifications', action: 'read', description: 'Read own notifications' },
  { resource: 'notifications', action: 'update', description: 'Mark own notifications read or archived' },
  { resource: 'notifications', action: 'delete', description: 'Delete own notifications' },
  { resource: 'notifications', action: 'send', description: 'Send notifications to users and roles' },
  { resource: '*', action: '*', description: 'Full access to every resource and action' },
] as const;

/** A seeded permission written `resource:action`. */
export type PermissionKey = PermissionKeyOf<(typeof seedPermissions)[number]>;

/** Permissions granted to each role; `all` grants every seeded permission, `*:*` included. */
export const seedRolePermissions = {
  admin: 'all',
  user: [
    'profile:read',
    'profile:update',
    'profile:avatar',
    'profile:preferences',
    'navigation:view',
    'dashboard:view',
    'settings:view',
    'settings:update',
    'settings:theme',
    'settings:notifications',
    'profile:security',
    'profile:activity',
    'sessions:read',
    'sessions:update',
    'sessions:delete',
    'api_keys:create',
    'api_keys:read',
    'api_keys:update',
    'api_keys:delete',
    'notifications:read',
    'notifications:update',
    'notifications:delete',
  ],
} as const satisfies Record<SeedRoleName, 'all' | readonly PermissionKey[]>;

type SeedUser = {
  ref: 'admin' | 'demo';
  role: SeedRoleName;
  account: Row<Omit<NewUser, 'password' | 'emailVerifiedAt'>>;
  preferences: Row<Omit<NewUserPreference, 'userId'>>;
  settings: readonly Row<Omit<NewUserSetting, 'userId'>>[];
};

export const seedUsers = [
  {
    ref: 'admin',
    role: 'admin',
    account: {
      email: 'admin@aegisx.local',
      username: 'admin',
      name: 'System Administrator',
      firstName: 'System',
      lastName: 'Administrator',
      status: 'active',
      isActive: true,
      emailVerified: true,
      timezone: 'UTC',
      language: 'en',
    },
    preferences: {
      theme: 'default',
      scheme: 'light',
      layout: 'classic',
      language: 'en',
      timezone: 'UTC',
    },
    settings: [
      {
        category: 'theme',
        key: 'name',
        value: 'default',
        dataType: 'string',
        description: 'Selected theme',
      },
      {
        category: 'notifications',
        key: 'email',
        value: 'true',
        dataType: 'boolean',
        description: 'Receive email notifications',
      },
      {
        category: 'layout',
        key: 'navigation_collapsed',
        value: 'false',
        dataType: 'boolean',
        description: 'Collapse the navigation sidebar',
      },
    ],
  },
  {
    ref: 'demo',
    role: 'user',
    account: {
      email: 'demo@aegisx.local',
      username: 'demo',
      name: 'Demo User',
      firstName: 'Demo',
      lastName: 'User',
      status: 'active',
      isActive: true,
      emailVerified: true,
      timezone: 'America/New_York',
      language: 'en',
    },
    preferences: {
      theme: 'dark',
      scheme: 'dark',
      layout: 'compact',
      language: 'en',
      timezone: 'America/New_York',
      notificationsEmail: false,
    },
    settings: [],
  },
] as const satisfies readonly SeedUser[];

export type SeedUserRef = (typeof seedUsers)[number]['ref'];

type SeedTheme = {
  name: string;
  displayName: string;
  description: string;
  palette: ColorPalette;
  isDefault: boolean;
  sortOrder: number;
};

export const seedThemes = [
  {
    name: 'default',
    displayName: 'Default',
    description: 'The standard light theme with blue and pink accents',
    palette: {
      primary: '#1976d2',
      accent: '#ff4081',
      warn: '#f44336',
      background: '#ffffff',
      surface: '#f5f5f5',
    },
    isDefault: true,
    sortOrder: 1,
  },
  {
    name: 'dark',
    displayName: 'Dark Mode',
    description: 'A dark theme that is easy on the eyes in low light',
    palette: {
      primary: '#90caf9',
      accent: '#f48fb1',
      warn: '#ef5350',
      background: '#121212',
      surface: '#1e1e1e',
    },
    isDefault: false,
    sortOrder: 2,
  },
  {
    name: 'minimal',
    displayName: 'Minimal',
    description: 'A clean, low-contrast theme with teal accents',
    palette: {
      primary: '#2196f3',
      accent: '#009688',
      warn: '#ff9800',
      background: '#fafafa',
      surface: '#ffffff',
    },
    isDefault: false,
    sortOrder: 3,
  },
  {
    name: 'enterprise',
    displayName: 'Enterprise',
    description: 'A restrained corporate theme in deep blues',
    palette: {
      primary: '#1565c0',
      accent: '#0277bd',
      warn: '#e65100',
      background: '#f8f9fa',
      surface: '#ffffff',
    },
    isDefault: false,
    sortOrder: 4,
  },
] as const satisfies readonly SeedTheme[];

/**
 * Every seeded system setting drives what it names (README, System settings): the token lifetimes and
 * the API version are deployment variables instead (migration 0009 removed the seed document's
 * security.jwt_expiry, security.refresh_token_expiry and app.version).
 */
export const seedSystemSettings = [
  {
    category: 'app',
    key: 'name',
    value: 'AegisX Platform',
    dataType: 'string',
    isPublic: true,
    description: 'Application name',
  },
  {
    category: 'app',
    key: 'description',
    value:
      'Enterprise platform with user management, role-based access control and personalisation',
    dataType: 'string',
    isPublic: true,
    description: 'Application description',
  },
  {
    category: 'security',
    key: 'max_login_attempts',
    value: '5',
    dataType: 'number',
    isPublic: false,
    description: 'Failed login attempts allowed before the account is locked',
  },
  {
    category: 'security',
    key: 'allow_unverified_login',
    value: 'true',
    dataType: 'boolean',
    isPublic: false,
    description: 'Whether users may sign in before verifying their email address',
  },
  {
    category: 'security',
    key: 'reauthentication_window_seconds',
    value: '300',
    dataType: 'number',
    isPublic: false,
    description: 'How long a sign-in or re-authentication lets a session change its email address or two-factor settings',
  },
  {
    category: 'features',
    key: 'registration_enabled',
    value: 'true',
    dataType: 'boolean',
    isPublic: true,
    description: 'Whether new users may register',
  },
  {
    category: 'features',
    key: 'two_factor_required',
    value: 'false',
    dataType: 'boolean',
    isPublic: true,
    description: 'Whether every user must enable two-factor authentication',
  },
] as const satisfies readonly Row<NewSystemSetting>[];

export const seedSettingTemplates = [
  {
    category: 'theme',
    key: 'name',
    defaultValue: 'default',
    dataType: 'string',
    description: 'Theme name',
    validationRules: { type: 'string', enum: ['default', 'dark', 'minimal', 'enterprise'] },
    userConfigurable: true,
  },
  {
    category: 'theme',
    key: 'scheme',
    defaultValue: 'light',
    dataType: 'string',
    description: 'Colour scheme',
    validationRules: { type: 'string', enum: ['light', 'dark', 'auto'] },
    userConfigurable: true,
  },
  {
    category: 'layout',
    key: 'type',
    defaultValue: 'classic',
    dataType: 'string',
    description: 'Layout type',
    validationRules: { type: 'string', enum: ['classic', 'compact', 'enterprise', 'empty'] },
    userConfigurable: true,
  },
  {
    category: 'notifications',
    key: 'email',
    defaultValue: 'true',
    dataType: 'boolean',
    description: 'Email notifications',
    validationRules: { type: 'boolean' },
    userConfigurable: true,
  },
  {
    category: 'notifications',
    key: 'desktop',
    defaultValue: 'true',
    dataType: 'boolean',
    description: 'Desktop notifications',
    validationRules: { type: 'boolean' },
    userConfigurable: true,
  },
  {
    category: 'localization',
    key: 'language',
    defaultValue: 'en',
    dataType: 'string',
    description: 'Interface language (ISO 639-1 code)',
    validationRules: { type: 'string', pattern: '^[a-z]{2}$' },
    userConfigurable: true,
  },
  {
    category: 'localization',
    key: 'timezone',
    defaultValue: 'UTC',
    dataType: 'string',
    description: 'Time zone (IANA name)',
    validationRules: { type: 'string', minLength: 1, maxLength: 100 },
    userConfigurable: true,
  },
] as const satisfies readonly Row<NewSettingTemplate>[];

export type SeedNavigationItem = Row<Omit<NewNavigationItem, 'parentId'>> & { parentKey?: string };

/** The navigation tree, every parent listed before its children. */
export const seedNavigationItems = [
  {
    key: 'dashboard',
    title: 'Dashboard',
    type: 'item',
    icon: 'heroicons_outline:chart-pie',
    link: '/dashboard',
    sortOrder: 1,
  },
  {
    key: 'analytics',
    title: 'Analytics',
    type: 'item',
    icon: 'heroicons_outline:chart-bar',
    link: '/analytics',
    sortOrder: 2,
    showInCompact: false,
  },
  {
    key: 'user-management',
    title: 'User Management',
    type: 'collapsible',
    icon: 'heroicons_outline:users',
    sortOrder: 2,
  },
  {
    key: 'users-list',
    parentKey: 'user-management',
    title: 'Users',
    type: 'item',
    icon: 'heroicons_outline:user',
    link: '/users',
    sortOrder: 1,
  },
  {
    key: 'users-roles',
    parentKey: 'user-management',
    title: 'Roles & Permissions',
    type: 'item',
    icon: 'heroicons_outline:shield-check',
    link: '/users/roles',
    sortOrder: 2,
  },
  {
    key: 'users-sessions',
    parentKey: 'user-management',
    title: 'Active Sessions',
    type: 'item',
    icon: 'heroicons_outline:computer-desktop',
    link: '/users/sessions',
    sortOrder: 3,
  },
  {
    key: 'settings',
    title: 'Settings',
    type: 'collapsible',
    icon: 'heroicons_outline:cog-6-tooth',
    sortOrder: 3,
    showInCompact: false,
  },
  {
    key: 'settings-profile',
    parentKey: 'settings',
    title: 'Profile',
    type: 'item',
    icon: 'heroicons_outline:user-circle',
    link: '/settings/profile',
    sortOrder: 1,
  },
  {
    key: 'settings-preferences',
    parentKey: 'settings',
    title: 'Preferences',
    type: 'item',
    icon: 'heroicons_outline:adjustments-horizontal',
    link: '/settings/preferences',
    sortOrder: 2,
  },
  {
    key: 'settings-security',
    parentKey: 'settings',
    title: 'Security',
    type: 'item',
    icon: 'heroicons_outline:lock-closed',
    link: '/settings/security',
    sortOrder: 3,
  },
  {
    key: 'settings-theme',
    parentKey: 'settings',
    title: 'Theme',
    type: 'item',
    icon: 'heroicons_outline:swatch',
    link: '/settings/theme',
    sortOrder: 3,
  },
  {
    key: 'settings-notifications',
    parentKey: 'settings',
    title: 'Notifications',
    type: 'item',
    icon: 'heroicons_outline:bell',
    link: '/settings/notifications',
    sortOrder: 4,
  },
  {
    key: 'settings-api-keys',
    parentKey: 'settings',
    title: 'API Keys',
    type: 'item',
    icon: 'heroicons_outline:key',
    link: '/settings/api-keys',
    sortOrder: 6,
  },
  { key: 'divider-1', title: 'Divider', type: 'divider', sortOrder: 4, showInHorizontal: false },
  {
    key: 'system',
    title: 'System',
    type: 'collapsible',
    icon: 'heroicons_outline:server',
    sortOrder: 20,
    showInCompact: false,
    showInHorizontal: false,
  },
  {
    key: 'system-monitor',
    parentKey: 'system',
    title: 'System Monitor',
    type: 'item',
    icon: 'heroicons_outline:chart-bar-square',
    link: '/system/monitor',
    sortOrder: 1,
  },
  {
    key: 'system-logs',
    parentKey: 'system',
    title: 'System Logs',
    type: 'item',
    icon: 'heroicons_outline:document-text',
    link: '/system/logs',
    sortOrder: 2,
  },
  {
    key: 'system-settings',
    parentKey: 'system',
    title: 'System Settings',
    type: 'item',
    icon: 'heroicons_outline:wrench-screwdriver',
    link: '/system/settings',
    sortOrder: 3,
  },
  {
    key: 'divider-main',
    title: 'Divider',
    type: 'divider',
    sortOrder: 40,
    showInHorizontal: false,
  },
  {
    key: 'help-support',
    title: 'Help & Support',
    type: 'group',
    icon: 'heroicons_outline:question-mark-circle',
    sortOrder: 50,
    showInCompact: false,
  },
  {
    key: 'help-documentation',
    parentKey: 'help-support',
    title: 'Documentation',
    type: 'item',
    icon: 'heroicons_outline:book-open',
    link: '/help/docs',
    target: '_blank',
    sortOrder: 1,
  },
  {
    key: 'help-about',
    parentKey: 'help-support',
    title: 'About',
    type: 'item',
    icon: 'heroicons_outline:information-circle',
    link: '/help/about',
    sortOrder: 2,
  },
  {
    key: 'help-contact',
    parentKey: 'help-support',
    title: 'Contact Support',
    type: 'item',
    icon: 'heroicons_outline:lifebuoy',
    link: '/help/support',
    sortOrder: 3,
  },
] as const satisfies readonly SeedNavigationItem[];

export type SeedNavigationKey = (typeof seedNavigationItems)[number]['key'];

/** Permissions required to see each navigation item; items not listed are open to everyone. */
export const seedNavigationPermissions = {
  dashboard: ['dashboard:view'],
  analytics: ['dashboard:analytics'],
  'user-management': ['users:read'],
  'users-list': ['users:read'],
  'users-roles': ['roles:read'],
  'users-sessions': ['users:read'],
  settings: ['settings:view'],
  'settings-profile': ['profile:read'],
  'settings-preferences': ['profile:preferences'],
  'settings-security': ['profile:update'],
  'settings-theme': ['settings:theme'],
  'settings-notifications': ['settings:notifications'],
  'settings-api-keys': ['profile:read'],
  system: ['system:monitor'],
  'system-monitor': ['system:monitor'],
  'system-logs': ['system:logs'],
  'system-settings': ['system:settings'],
} as const satisfies Partial<Record<SeedNavigationKey, readonly PermissionKey[]>>;

/** Created for every seeded user: the same defaults the API gives every new user. */
export const seedNotificationPreferences = DEFAULT_NOTIFICATION_PREFERENCES satisfies readonly Row<
  Omit<NewNotificationPreference, 'userId'>
>[];
