import { sql } from 'drizzle-orm';
import { notificationPreferences, roles, userPreferences, userRoles, users } from '../../../../drizzle';
import { pgConstraint, pgErrorCode } from '../../../lib/db';
import { ApiError } from '../../../lib/errors';
import { queueEmail } from '../../../lib/mailer';
import { bcryptCost, hashPassword } from '../../../lib/password';
import type { ServiceContext } from '../../../lib/service-context';
import { newVerificationToken } from '../../account-security/services/verification-token';
import { auditInsert } from '../../audit/service';
import { DEFAULT_NOTIFICATION_PREFERENCES } from '../../notifications/defaults';
import { systemSetting } from '../../system-settings/service';
import { defaultThemeName } from '../../preferences/service';

export interface RegisterInput {
  email: string;
  username: string;
  password: string;
  firstName: string;
  lastName: string;
}

export const DEFAULT_ROLE = 'user';

/**
 * Creates an account in one atomic batch: the user (status `pending` until the email is
 * verified), the `user` role, default preferences and notification preferences, the email
 * verification token, and the audit row. Duplicates are caught by the unique constraints (no
 * read first, no race). The verification email leaves after the response.
 */
export async function register(ctx: ServiceContext, input: RegisterInput) {
  if (!(await systemSetting(ctx, 'features.registration_enabled', true))) {
    throw new ApiError('REGISTRATION_DISABLED', 'Registration is closed');
  }
  const id = crypto.randomUUID();
  const email = input.email.trim().toLowerCase();
  const name = `${input.firstName} ${input.lastName}`.trim();
  const password = await hashPassword(input.password, bcryptCost(ctx.env.BCRYPT_COST));
  const { now, db } = ctx;
  const verification = await newVerificationToken(ctx, { userId: id, email, previousEmail: null, name: input.firstName });

  try {
    await db.batch([
      db.insert(users).values({
        id,
        email,
        username: input.username,
        password,
        firstName: input.firstName,
        lastName: input.lastName,
        name,
        status: 'pending',
        emailVerified: false,
        isActive: true,
        createdAt: now,
        updatedAt: now,
      }),
      db.insert(userRoles).values({
        userId: id,
        roleId: sql`(select ${roles.id} from ${roles} where ${roles.name} = ${DEFAULT_ROLE})`,
        assignedAt: now,
        createdAt: now,
        updatedAt: now,
      }),
      db.insert(userPreferences).values({ userId: id, theme: defaultThemeName, createdAt: now, updatedAt: now }),
      db.insert(notificationPreferences).values(DEFAULT_NOTIFICATION_PREFERENCES.map((p) => ({ ...p, userId: id, createdAt: now, updatedAt: now }))),
      verification.insert,
      auditInsert(ctx, {
        userId: id,
        sessionId: null,
        entityType: 'user',
        entityId: id,
        action: 'create',
        description: 'Registered',
        newValues: { email, username: input.username, firstName: input.firstName, lastName: input.lastName, status: 'pending', roles: [DEFAULT_ROLE] },
      }),
    ]);
  } catch (error) {
    if (pgErrorCode(error) === '23505') {
      const constraint = pgConstraint(error) ?? '';
      if (constraint.includes('email')) throw new ApiError('EMAIL_ALREADY_EXISTS', 'An account with this email already exists');
      if (constraint.includes('username')) throw new ApiError('USERNAME_ALREADY_EXISTS', 'This username is taken');
    }
    throw error;
  }
  queueEmail(ctx, verification.message);

  return {
    id,
    email,
    username: input.username,
    firstName: input.firstName,
    lastName: input.lastName,
    name,
    status: 'pending' as const,
    emailVerified: false,
    roles: [DEFAULT_ROLE],
    createdAt: now.toISOString(),
  };
}
