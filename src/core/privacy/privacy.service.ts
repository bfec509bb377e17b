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
  async function findMember(tx: Tx, actor: Actor, id: string, lock: boolean): Promise<Member> {
    const query = tx.select().from(members).where(eq(members.id, id));
    const [row] = lock ? await query.for('update') : await query;
    if (!row) throw notFound('Member');
    requireCommunity(actor, row.communityId, 'Member');
    return row;
  }

  async function erase(tx: Tx, member: Member, now: Date, why: 'api' | 'chat'): Promise<ErasureSummary> {
    const [community] = await tx.select().from(communities).where(eq(communities.id, member.communityId));
    // Asked in chat: the confirmation written then may not have gone out yet; it stays.
    const summary = await eraseMember(tx, member, community!, now, { keepFrom: why === 'chat' ? member.eraseRequestedAt : null });
    // Who, by id only: the log must not keep what was just erased.
    logger.info({ memberId: member.id, communityId: member.communityId, requestedBy: why, ...summary }, 'member erased');
    return summary;
  }

  return {
    /** Everything kept about a member, as one JSON document. */
    async export(actor: Actor, id: string): Promise<MemberExport> {
      return db.transaction(async (tx) => exportMember(tx, await findMember(tx, actor, id, false), clock()));
    },

    /** Erases a member now (see eraseMember). */
    async erase(actor: Actor, id: string): Promise<{ memberId: string; erasedAt: Date; erased: ErasureSummary }> {
      const now = clock();
      const erased = await db.transaction(async (tx) => erase(tx, await findMember(tx, actor, id, true), now, 'api'));
      onQueued();
      return { memberId: id, erasedAt: now, erased };
    },

    /** Scheduler job: erases the members who asked for it in chat (`privacy forget yes`). */
    async eraseRequested(): Promise<number> {
      const now = clock();
      const due = await db
        .select({ id: members.id })
        .from(members)
        .where(and(isNotNull(members.eraseRequestedAt), lte(members.eraseRequestedAt, now)))
        .orderBy(asc(members.eraseRequestedAt))
        .limit(ERASE_BATCH);
      let done = 0;
      // One transaction each: one that fails (a deadlock with a sign-up) does not hold up the others.
      for (const { id } of due) {
        try {
          done += await db.transaction(async (tx) => {
            const [member] = await tx.select().from(members).where(and(eq(members.id, id), isNotNull(members.eraseRequestedAt))).for('update', { skipLocked: true });
            if (!member) return 0; // erased meanwhile, or another instance is at it
            await erase(tx, member, now, 'chat');
            return 1;
          });
        } catch (error) {
          logger.error({ err: error, memberId: id }, 'member not erased; tried again next round');
        }
      }
      if (done > 0) onQueued();
      return done;
    },
  };
}

export type PrivacyService = ReturnType<typeof createPrivacyService>;
