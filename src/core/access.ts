import { eq } from 'drizzle-orm';
import type { Tx } from '../db/client.js';
import { communities } from '../db/schema/index.js';
import { forbidden, notFound } from './errors.js';

/** Who is calling the admin API: an admin sees everything, a manager one community. */
export type Actor = { kind: 'admin' } | { kind: 'manager'; communityId: string };

export const ADMIN: Actor = { kind: 'admin' };

/** Throws not-found (never forbidden, so ids of other communities leak nothing). */
export function requireCommunity(actor: Actor, communityId: string, what = 'Community'): void {
  if (actor.kind === 'manager' && actor.communityId !== communityId) throw notFound(what);
}

export function requireAdmin(actor: Actor): void {
  if (actor.kind !== 'admin') throw forbidden('This needs an admin token');
}

/** The community ids an actor may list, or null for all. */
export const visibleCommunities = (actor: Actor): string[] | null =>
  actor.kind === 'admin' ? null : [actor.communityId];

/** Checks the actor may see the community and that it exists; not-found otherwise. */
export async function requireExistingCommunity(tx: Tx, actor: Actor, communityId: string): Promise<void> {
  requireCommunity(actor, communityId);
  const [row] = await tx.select({ id: communities.id }).from(communities).where(eq(communities.id, communityId));
  if (!row) throw notFound('Community');
}
