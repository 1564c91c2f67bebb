import { eq, sql } from 'drizzle-orm';
import type { z } from '@hono/zod-openapi';
import { userNavigationPreferences } from '../../../../drizzle';
import type { ServiceContext } from '../../../lib/service-context';
import { auditInsert } from '../../audit/service';
import type { UpdateNavigationPreferenceBodySchema } from '../schemas';
import { invalidatePreferences } from './cache';
import { guard, guarded } from './guard';
import { requireActor } from './read';

type PreferencePatch = z.infer<typeof UpdateNavigationPreferenceBodySchema>;

const ENTITY = 'navigation_preference';

/**
 * `PUT /api/navigation/preferences/{key}`: upserts the caller's preference for one item in one
 * batch (check, upsert, audit), then invalidates the caller's cached preferences before the
 * response, so their next `GET /api/navigation/user` reads them again.
 */
export async function updateNavigationPreference(ctx: ServiceContext, key: string, patch: PreferencePatch) {
  const { userId } = requireActor(ctx);
  const itemId = sql`(select id from navigation_items where key = ${key})`;
  const changes = {
    ...(patch.hidden !== undefined ? { hidden: patch.hidden } : {}),
    ...(patch.customSortOrder !== undefined ? { customSortOrder: patch.customSortOrder } : {}),
    ...(patch.pinned !== undefined ? { pinned: patch.pinned } : {}),
  };
  const [, [row]] = await guarded(() =>
    ctx.db.batch([
      ctx.db.execute(
        guard([{ code: 'NAVIGATION_ITEM_NOT_FOUND', failsWhen: sql`not exists (select 1 from navigation_items where key = ${key})`, detail: sql`${key}::text` }]),
      ),
      ctx.db
        .insert(userNavigationPreferences)
        .values({
          userId,
          navigationItemId: itemId,
          hidden: patch.hidden ?? null,
          customSortOrder: patch.customSortOrder ?? null,
          pinned: patch.pinned ?? false,
          createdAt: ctx.now,
          updatedAt: ctx.now,
        })
        .onConflictDoUpdate({
          target: [userNavigationPreferences.userId, userNavigationPreferences.navigationItemId],
          set: { ...changes, updatedAt: ctx.now },
        })
        .returning({
          hidden: userNavigationPreferences.hidden,
          customSortOrder: userNavigationPreferences.customSortOrder,
          pinned: userNavigationPreferences.pinned,
          updatedAt: userNavigationPreferences.updatedAt,
        }),
      auditInsert(ctx, { entityType: ENTITY, entityId: key, action: 'update', description: 'Changed a navigation preference', newValues: changes }),
    ]),
  );
  await invalidatePreferences(ctx, userId);
  return {
    key,
    hidden: row!.hidden,
    customSortOrder: row!.customSortOrder,
    pinned: row!.pinned ?? false,
    updatedAt: row!.updatedAt.toISOString(),
  };
}

/** `DELETE /api/navigation/preferences`: back to the default navigation. */
export async function resetNavigationPreferences(ctx: ServiceContext) {
  const { userId } = requireActor(ctx);
  const [removed] = await ctx.db.batch([
    ctx.db
      .delete(userNavigationPreferences)
      .where(eq(userNavigationPreferences.userId, userId))
      .returning({ id: userNavigationPreferences.id }),
    auditInsert(ctx, { entityType: ENTITY, entityId: userId, action: 'delete', description: 'Reset the navigation preferences' }),
  ]);
  await invalidatePreferences(ctx, userId);
  return { removed: removed.length };
}
