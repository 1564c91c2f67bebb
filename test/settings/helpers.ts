import { expect } from 'vitest';
import { signedInAdmin, userWithPermissions } from '../harness';

/** A fresh user whose only role holds exactly `permissions` (set up through the API by an admin), signed in. */
export async function signedInWith(permissions: string[]) {
  const { user, session } = await userWithPermissions((await signedInAdmin()).session.accessToken, permissions);
  expect([...session.user.permissions].sort()).toEqual([...permissions].sort());
  return { user, session };
}

export const json = (text: string | null | undefined): any => (text ? JSON.parse(text) : null);
