import { and, asc, eq, gt, inArray, isNotNull, isNull, lte, notExists, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { answers, communities, members, questionSettings, questions, type Community, type Member, type Question } from '../../db/schema/index.js';
import { t } from '../i18n/index.js';
import { enqueue, type OutboxMessage } from '../outbox/outbox.service.js';
import { directAddressOf } from '../outbox/direct.js';
import { authorsOf, tellAsker } from './questions.service.js';

/** Rows a job claims per round; the rest wait for the next round (every 15 s). */
const BATCH = 100;

/** The longest a community may let a question wait (a month): a question older is not urgent any more. */
export const ESCALATE_AFTER_HOURS_MAX = 720;
/**
 * Only questions this young are looked at: answered but unsolved ones would otherwise be checked
 * every round forever, and a community turning escalation on would send its whole history.
 */
const LOOK_BACK_MS = (ESCALATE_AFTER_HOURS_MAX + 24) * 3_600_000;

/**
 * Brings questions nobody (but the asker) answered in time to the ambassadors (the kerngroep), once: each gets
 * a direct message with the question. Without a reachable ambassador, the managers get it.
 * The time is the community's own setting, else `defaultHours`; 0 turns it off.
 * Claims rows with FOR UPDATE SKIP LOCKED and marks them in the same transaction, so several
 * instances running this side by side escalate each question once.
 */
export async function escalateDue(db: Db, now: Date, defaultHours: number): Promise<number> {
  const hours = sql`coalesce(${questionSettings.escalateAfterHours}, ${defaultHours}::int)`;
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ question: questions, hours: sql<number>`${hours}` })
      .from(questions)
      .leftJoin(questionSettings, eq(questionSettings.communityId, questions.communityId))
      .where(
        and(
          isNull(questions.escalatedAt),
          isNull(questions.solvedAt),
          eq(questions.hidden, false),
          gt(questions.createdAt, new Date(now.getTime() - LOOK_BACK_MS)),
          sql`${hours} > 0`,
          sql`${questions.createdAt} <= ${now.toISOString()}::timestamptz - make_interval(hours => ${hours})`,
          // The asker adding to their own question does not answer it.
          notExists(
            tx
              .select({ one: sql`1` })
              .from(answers)
              .where(and(eq(answers.questionId, questions.id), eq(answers.hidden, false), sql`${answers.memberId} is distinct from ${questions.askedById}`)),
          ),
        ),
      )
      .orderBy(asc(questions.createdAt))
      .limit(BATCH)
      .for('update', { of: questions, skipLocked: true });
    if (due.length === 0) return 0;
    await tx.update(questions).set({ escalatedAt: now, updatedAt: now }).where(inArray(questions.id, due.map((d) => d.question.id)));
    const byCommunity = new Map<string, { question: Question; hours: number }[]>();
    for (const d of due) byCommunity.set(d.question.communityId, [...(byCommunity.get(d.question.communityId) ?? []), d]);
    const outgoing: OutboxMessage[] = [];
    for (const [communityId, list] of byCommunity) {
      const [community] = await tx.select().from(communities).where(eq(communities.id, communityId));
      const core = await coreGroup(tx, communityId);
      const who = await authorsOf(tx, list.map((d) => d.question.askedById), community!.language);
      for (const { question, hours } of list) {
        for (const { member, address } of core) {
          const language = member.language ?? community!.language;
          outgoing.push(nudge(community!, question, member, address, now, t(language, 'questions.escalate', { number: question.number, who: who(question.askedById), hours, text: question.text })));
        }
      }
    }
    await enqueue(tx, outgoing);
    return due.length;
  });
}

/** The ambassadors who can be reached directly; the managers when there are none. */
async function coreGroup(tx: Tx, communityId: string) {
  const reach = async (role: Member['role']) => {
    const list = await tx.select().from(members).where(and(eq(members.communityId, communityId), eq(members.role, role))).orderBy(asc(members.createdAt));
    const found: { member: Member; address: string }[] = [];
    for (const member of list) {
      const address = await directAddressOf(tx, member.id);
      if (address) found.push({ member, address });
    }
    return found;
  };
  const ambassadors = await reach('ambassador');
  return ambassadors.length > 0 ? ambassadors : reach('manager');
}

function nudge(community: Community, question: Question, member: Member, address: string, now: Date, text: string): OutboxMessage {
  return {
    communityId: community.id,
    channel: address.slice(0, address.indexOf(':')) as OutboxMessage['channel'],
    address,
    spaceId: null,
    memberId: member.id,
    payload: { text },
    // `question:<id>:` lets a reply to this message count as an answer (see questionRepliedTo).
    idempotencyKey: `question:${question.id}:escalate:${member.id}`,
    availableAt: now,
  };
}

/** Sends askers the answers that waited because they were told of others a moment before. */
export async function notifyDue(db: Db, now: Date): Promise<number> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select()
      .from(questions)
      .where(and(isNotNull(questions.notifyDueAt), lte(questions.notifyDueAt, now)))
      .orderBy(asc(questions.notifyDueAt))
      .limit(BATCH)
      .for('update', { skipLocked: true });
    let sent = 0;
    for (const question of due) {
      const [community] = await tx.select().from(communities).where(eq(communities.id, question.communityId));
      if (await tellAsker(tx, community!, question, now)) sent++;
    }
    return sent;
  });
}
