import { asc, eq, isNotNull, lte, and } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db, Tx } from '../../db/client.js';
import { communities, members, type Member } from '../../db/schema/index.js';
import { requireCommunity, type Actor } from '../access.js';
import { notFound } from '../errors.js';
import { eraseMember, type ErasureSummary } from './erase.js';
import { exportMember, type MemberExport } from './export.js';

/** Members erased per scheduler round at most, so one round never holds locks for long. */
const ERASE_BATCH = 20;

/** A member's right of access and to erasure (AVG/GDPR) for the admin API and the scheduler. */
export function createPrivacyService(db: Db, clock: () => Date, logger: Logger, onQueued: () => void) {
  async function lockMember(tx: Tx, actor: Actor, id: string): Promise<Member> {
    const [row] = await tx.select().from(members).where(eq(members.id, id)).for('update');
    if (!row) throw notFound('Member');
    requireCommunity(actor, row.communityId, 'Member');
    return row;
  }

  async function erase(tx: Tx, member: Member, now: Date, why: 'api' | 'chat'): Promise<ErasureSummary> {
    const [community] = await tx.select().from(communities).where(eq(communities.id, member.communityId));
    const summary = await eraseMember(tx, member, community!, now);
    // Who, by id only: the log must not keep what was just erased.
    logger.info({ memberId: member.id, communityId: member.communityId, requestedBy: why, ...summary }, 'member erased');
    return summary;
  }

  return {
    /** Everything kept about a member, as one JSON document. */
    async export(actor: Actor, id: string): Promise<MemberExport> {
      return db.transaction(async (tx) => exportMember(tx, await lockMember(tx, actor, id), clock()));
    },

    /** Erases a member now (see eraseMember). */
    async erase(actor: Actor, id: string): Promise<{ memberId: string; erasedAt: Date; erased: ErasureSummary }> {
      const now = clock();
      const erased = await db.transaction(async (tx) => erase(tx, await lockMember(tx, actor, id), now, 'api'));
      onQueued();
      return { memberId: id, erasedAt: now, erased };
    },

    /** Scheduler job: erases the members who asked for it in chat (`privacy forget yes`). */
    async eraseRequested(): Promise<number> {
      const now = clock();
      const done = await db.transaction(async (tx) => {
        const due = await tx
          .select()
          .from(members)
          .where(and(isNotNull(members.eraseRequestedAt), lte(members.eraseRequestedAt, now)))
          .orderBy(asc(members.eraseRequestedAt))
          .limit(ERASE_BATCH)
          .for('update', { skipLocked: true });
        for (const member of due) await erase(tx, member, now, 'chat');
        return due.length;
      });
      if (done > 0) onQueued();
      return done;
    },
  };
}

export type PrivacyService = ReturnType<typeof createPrivacyService>;
