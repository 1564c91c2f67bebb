import { randomBytes } from 'node:crypto';
import { hash } from 'bcryptjs';
import { inArray } from 'drizzle-orm';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import {
  navigationItems,
  navigationPermissions,
  notificationPreferences,
  permissions,
  rolePermissions,
  roles,
  settingTemplates,
  systemSettings,
  themes,
  userPreferences,
  userRoles,
  userSettings,
  users,
} from '../../drizzle/index';
import {
  seedNavigationItems,
  seedNavigationPermissions,
  seedNotificationPreferences,
  seedPermissions,
  seedRolePermissions,
  seedRoles,
  seedSettingTemplates,
  seedSystemSettings,
  seedThemes,
  seedUsers,
  type SeedNavigationItem,
  type SeedUserRef,
} from './seed-data';

export type SeedOptions = {
  adminPassword?: string;
  demoPassword?: string;
  log?: (msg: string) => void;
  bcryptCost?: number;
};

export type SeedResult = {
  /** Rows inserted by this run, per table; 0 where everything already existed. */
  created: Record<string, number>;
  /** Passwords generated for the users this run created; stored nowhere in plaintext. */
  generatedPasswords: Partial<Record<SeedUserRef, string>>;
};

type Tx = Parameters<Parameters<NodePgDatabase['transaction']>[0]>[0];
type Created = Record<string, number>;

const MIN_PASSWORD_LENGTH = 8;

/**
 * Inserts the reference data and the admin and demo accounts in one transaction. Idempotent: rows
 * that already exist (by their natural key) are left untouched, and existing users keep their
 * passwords.
 */
export async function seedDatabase(pool: pg.Pool, opts: SeedOptions = {}): Promise<SeedResult> {
  const log = opts.log ?? (() => {});
  const created: Created = {};

  const generatedPasswords = await drizzle(pool).transaction(async (tx) => {
    const { roleIds, permissionIds } = await seedAccessControl(tx, created);
    const accounts = await seedAccounts(tx, created, roleIds, opts, log);
    await seedAppearanceAndSettings(tx, created);
    await seedNavigation(tx, created, permissionIds);
    return accounts;
  });

  for (const [table, count] of Object.entries(created)) {
    log(`${table}: ${count} row(s) created`);
  }
  return { created, generatedPasswords };
}

async function seedAccessControl(tx: Tx, created: Created) {
  const newRoles = await tx
    .insert(roles)
    .values([...seedRoles])
    .onConflictDoNothing({ target: roles.name })
    .returning({ id: roles.id });
  created.roles = newRoles.length;

  const newPermissions = await tx
    .insert(permissions)
    .values([...seedPermissions])
    .onConflictDoNothing({ target: [permissions.resource, permissions.action] })
    .returning({ id: permissions.id });
  created.permissions = newPermissions.length;

  const roleNames = seedRoles.map((role) => role.name);
  const roleIds = idsByKey(
    await tx
      .select({ key: roles.name, id: roles.id })
      .from(roles)
      .where(inArray(roles.name, roleNames)),
  );
  const permissionIds = idsByKey(
    (await tx.select().from(permissions)).map(({ id, resource, action }) => ({
      id,
      key: `${resource}:${action}`,
    })),
  );

  const grants = Object.entries(seedRolePermissions).flatMap(([role, granted]) => {
    const keys =
      granted === 'all' ? seedPermissions.map((p) => `${p.resource}:${p.action}`) : granted;
    return keys.map((key) => ({
      roleId: requireId(roleIds, role),
      permissionId: requireId(permissionIds, key),
    }));
  });
  const newGrants = await tx
    .insert(rolePermissions)
    .values(grants)
    .onConflictDoNothing()
    .returning({ roleId: rolePermissions.roleId });
  created.role_permissions = newGrants.length;

  return { roleIds, permissionIds };
}

async function seedAccounts(
  tx: Tx,
  created: Created,
  roleIds: ReadonlyMap<string, string>,
  opts: SeedOptions,
  log: (msg: string) => void,
): Promise<SeedResult['generatedPasswords']> {
  const emails = seedUsers.map((user) => user.account.email);
  const generatedPasswords = await createMissingUsers(tx, created, emails, opts, log);

  const userIds = idsByKey(
    (
      await tx
        .select({ id: users.id, email: users.email })
        .from(users)
        .where(inArray(users.email, emails))
    ).map(({ id, email }) => ({ id, key: email })),
  );
  const seeded = seedUsers.map((user) => ({ ...user, id: requireId(userIds, user.account.email) }));

  const newUserRoles = await tx
    .insert(userRoles)
    .values(seeded.map((user) => ({ userId: user.id, roleId: requireId(roleIds, user.role) })))
    .onConflictDoNothing({ target: [userRoles.userId, userRoles.roleId] })
    .returning({ id: userRoles.id });
  created.user_roles = newUserRoles.length;

  const newPreferences = await tx
    .insert(userPreferences)
    .values(seeded.map((user) => ({ ...user.preferences, userId: user.id })))
    .onConflictDoNothing({ target: userPreferences.userId })
    .returning({ id: userPreferences.id });
  created.user_preferences = newPreferences.length;

  const newSettings = await tx
    .insert(userSettings)
    .values(
      seeded.flatMap((user) =>
        user.settings.map((setting) => ({ ...setting, userId: user.id })),
      ),
    )
    .onConflictDoNothing({ target: [userSettings.userId, userSettings.category, userSettings.key] })
    .returning({ id: userSettings.id });
  created.user_settings = newSettings.length;

  const newNotificationPreferences = await tx
    .insert(notificationPreferences)
    .values(
      seeded.flatMap((user) =>
        seedNotificationPreferences.map((preference) => ({ ...preference, userId: user.id })),
      ),
    )
    .onConflictDoNothing({
      target: [notificationPreferences.userId, notificationPreferences.notificationType],
    })
    .returning({ id: notificationPreferences.id });
  created.notification_preferences = newNotificationPreferences.length;

  return generatedPasswords;
}

/** Creates the seeded users that do not exist yet; existing users, passwords included, are kept. */
async function createMissingUsers(
  tx: Tx,
  created: Created,
  emails: string[],
  opts: SeedOptions,
  log: (msg: string) => void,
): Promise<SeedResult['generatedPasswords']> {
  const givenPasswords: Record<SeedUserRef, string | undefined> = {
    admin: opts.adminPassword,
    demo: opts.demoPassword,
  };
  const existing = new Set(
    (await tx.select({ email: users.email }).from(users).where(inArray(users.email, emails))).map(
      (row) => row.email,
    ),
  );
  for (const user of seedUsers) {
    if (existing.has(user.account.email) && givenPasswords[user.ref] !== undefined) {
      log(`${user.account.email} already exists: its password was left unchanged`);
    }
  }

  const missing = seedUsers.filter((user) => !existing.has(user.account.email));
  created.users = 0;
  if (missing.length === 0) return {};

  const accounts = await Promise.all(
    missing.map(async (user) => {
      const given = givenPasswords[user.ref];
      if (given !== undefined && given.length < MIN_PASSWORD_LENGTH) {
        throw new Error(
          `The ${user.ref} password must be at least ${MIN_PASSWORD_LENGTH} characters long`,
        );
      }
      const password = given ?? randomBytes(24).toString('base64url');
      const passwordHash = await hash(password, opts.bcryptCost ?? 10);
      return { user, passwordHash, generatedPassword: given === undefined ? password : undefined };
    }),
  );
  const inserted = await tx
    .insert(users)
    .values(
      accounts.map(({ user, passwordHash }) => ({
        ...user.account,
        password: passwordHash,
        emailVerifiedAt: new Date(),
      })),
    )
    .onConflictDoNothing({ target: users.email })
    .returning({ email: users.email });
  created.users = inserted.length;

  const insertedEmails = new Set(inserted.map((row) => row.email));
  const generatedPasswords: SeedResult['generatedPasswords'] = {};
  for (const { user, generatedPassword } of accounts) {
    if (generatedPassword !== undefined && insertedEmails.has(user.account.email)) {
      generatedPasswords[user.ref] = generatedPassword;
    }
  }
  return generatedPasswords;
}

async function seedAppearanceAndSettings(tx: Tx, created: Created) {
  const newThemes = await tx
    .insert(themes)
    .values(
      seedThemes.map(({ palette, ...theme }) => ({
        ...theme,
        colorPalette: palette,
        cssVariables: Object.fromEntries(
          Object.entries(palette).map(([name, color]) => [`--${name}`, color]),
        ),
      })),
    )
    .onConflictDoNothing({ target: themes.name })
    .returning({ id: themes.id });
  created.themes = newThemes.length;

  const newSystemSettings = await tx
    .insert(systemSettings)
    .values([...seedSystemSettings])
    .onConflictDoNothing({ target: [systemSettings.category, systemSettings.key] })
    .returning({ id: systemSettings.id });
  created.system_settings = newSystemSettings.length;

  const newTemplates = await tx
    .insert(settingTemplates)
    .values([...seedSettingTemplates])
    .onConflictDoNothing({ target: [settingTemplates.category, settingTemplates.key] })
    .returning({ id: settingTemplates.id });
  created.setting_templates = newTemplates.length;
}

/** Inserts the tree one level at a time, so that every parent's id is known before its children. */
async function seedNavigation(
  tx: Tx,
  created: Created,
  permissionIds: ReadonlyMap<string, string>,
) {
  const items: readonly SeedNavigationItem[] = seedNavigationItems;
  const itemIds = new Map<string, string>();
  created.navigation_items = 0;
  let level = items.filter((item) => item.parentKey === undefined);
  while (level.length > 0) {
    const inserted = await tx
      .insert(navigationItems)
      .values(
        level.map(({ parentKey, ...item }) => ({
          ...item,
          parentId: parentKey === undefined ? null : requireId(itemIds, parentKey),
        })),
      )
      .onConflictDoNothing({ target: navigationItems.key })
      .returning({ id: navigationItems.id });
    created.navigation_items += inserted.length;

    const levelKeys = new Set(level.map((item) => item.key));
    const stored = await tx
      .select({ key: navigationItems.key, id: navigationItems.id })
      .from(navigationItems)
      .where(inArray(navigationItems.key, [...levelKeys]));
    for (const { key, id } of stored) itemIds.set(key, id);

    level = items.filter((item) => item.parentKey !== undefined && levelKeys.has(item.parentKey));
  }

  const links = Object.entries(seedNavigationPermissions).flatMap(([key, required]) =>
    required.map((permission) => ({
      navigationItemId: requireId(itemIds, key),
      permissionId: requireId(permissionIds, permission),
    })),
  );
  const newLinks = await tx
    .insert(navigationPermissions)
    .values(links)
    .onConflictDoNothing()
    .returning({ navigationItemId: navigationPermissions.navigationItemId });
  created.navigation_permissions = newLinks.length;
}

function idsByKey(rows: readonly { key: string; id: string }[]): Map<string, string> {
  return new Map(rows.map(({ key, id }) => [key, id]));
}

function requireId(ids: ReadonlyMap<string, string>, key: string): string {
  const id = ids.get(key);
  if (id === undefined) {
    throw new Error(`Seed data refers to "${key}", which is not in the database`);
  }
  return id;
}
