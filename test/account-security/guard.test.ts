import { eq, sql as drizzleSql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { users } from '../../drizzle';
import { createDb } from '../../src/lib/db';
import { claimOrAbort, isClaimLost } from '../../src/modules/account-security/services/guard';
import { env, newRequestId, registerUser, sql } from '../harness';

describe('claimOrAbort', () => {
  it('lets the batch commit when the claim touches a row, and rolls the whole batch back when it touches none', async () => {
    const user = await registerUser();
    const db = createDb(env, newRequestId('guard'));
    const rename = (name: string) => db.update(users).set({ name }).where(eq(users.id, user.id));
    const claim = (step: number) =>
      db.execute(
        claimOrAbort(
          { claimed: db.update(users).set({ twoFactorLastStep: step }).where(drizzleSql`${users.id} = ${user.id} and coalesce(${users.twoFactorLastStep}, 0) < ${step}`).returning({ id: users.id }) },
          'claimed',
        ),
      );

    await db.batch([rename('first'), claim(10)]);
    const failure = await db.batch([rename('second'), claim(10)]).catch((error: unknown) => error);
    expect(isClaimLost(failure)).toBe(true);
    const [row] = await sql<{ name: string; two_factor_last_step: string }>('select name, two_factor_last_step from users where id = $1', [user.id]);
    expect(row).toEqual({ name: 'first', two_factor_last_step: '10' });
  });
});
