import { and, eq, gt, inArray, isNull, like, lt, ne, or, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import {
  bridgeMessages,
  conversationReferences,
  declarationSignatures,
  eventAttendees,
  events,
  identities,
  inboundMessages,
  members,
  outbox,
  questions,
  stories,
  type Community,
  type Member,
} from '../../db/schema/index.js';
import { forgetBridgeMessages } from '../bridge/bridge.service.js';
import { leave, lockEvent } from '../events/signup.js';
import { t } from '../i18n/index.js';
import { allDirectAddresses } from '../outbox/direct.js';

/** What of an identity says where the bot reaches someone (see allDirectAddresses). */
const REACH = { channel: identities.channel, externalId: identities.externalId, directAddress: identities.directAddress };

export interface EraseOptions {
  /**
   * Messages to them written at or after this time stay (unnamed): the confirmation of a request
   * made in chat, which may not have gone out yet when the erasure runs.
   */
  keepFrom?: Date | null;
}

/** What an erasure took away or made anonymous: counts only, nothing personal. */
export interface ErasureSummary {
  identities: number;
  /** Places on upcoming activities given up (a waiting list moves up). */
  upcomingSignups: number;
  /** Stories not published yet, deleted; published ones stay without their name. */
  storiesDeleted: number;
  storiesAnonymised: number;
  signaturesAnonymised: number;
  /** Messages the bot wrote to them in their own chat, sent or still waiting. */
  directMessagesDeleted: number;
}

/**
 * Erases a member (AVG/GDPR article 17), in the caller's transaction: the member row goes, and
 * with it (cascade) how each channel knows them (phone number, Teams id), their place in the
 * groups, sign-ups, poll votes, survey answers and bridge choice. What others rely on stays
 * without them: an upcoming activity's freed place goes to the waiting list, a published story
 * stays anonymous, a declaration signature stays the organisation's with the signer unnamed,
 * questions and answers stay in the knowledge base unattributed, and the message records behind
 * the engagement figures stay without a member. Their own chats with the bot are forgotten: the
 * messages sent there and the adapters' notes on how to reach them, unless the same person is a
 * member of another community through the same account.
 */
export async function eraseMember(tx: Tx, member: Member, community: Community, now: Date, options: EraseOptions = {}): Promise<ErasureSummary> {
  const id = member.id;
  const own = await tx.select(REACH).from(identities).where(eq(identities.memberId, id));
  const addresses = allDirectAddresses(own);

  // Upcoming activities first, while the member still exists: the freed place goes to the next.
  const upcoming = await tx
    .select({ eventId: eventAttendees.eventId })
    .from(eventAttendees)
    .innerJoin(events, eq(events.id, eventAttendees.eventId))
    .where(and(eq(eventAttendees.memberId, id), gt(events.startsAt, now), isNull(events.cancelledAt)));
  for (const { eventId } of upcoming) {
    const event = await lockEvent(tx, eventId);
    if (event) await leave(tx, community, event, id, now);
  }

  const storiesDeleted = await tx.delete(stories).where(and(eq(stories.authorId, id), ne(stories.status, 'published'))).returning({ id: stories.id });
  const storiesAnonymised = await tx
    .select({ id: stories.id, anonymous: stories.anonymous })
    .from(stories)
    .where(and(eq(stories.authorId, id), eq(stories.status, 'published')));
  if (storiesAnonymised.length) {
    await tx.update(stories).set({ anonymous: true, authorName: '', updatedAt: now }).where(inArray(stories.id, storiesAnonymised.map((s) => s.id)));
  }
  const signatures = await tx
    .update(declarationSignatures)
    .set({ signerName: t(community.language, 'privacy.formerMember') })
    .where(eq(declarationSignatures.memberId, id))
    .returning({ id: declarationSignatures.id });
  // Where they asked a question is where they heard of its answers: nobody to tell any more.
  const asked = await tx
    .update(questions)
    .set({ askedChannel: null, askedAddress: null, askedMessageId: null, notifyDueAt: null })
    .where(eq(questions.askedById, id))
    .returning({ id: questions.id });
  // What the bridge carried for them: the record, and the relayed text in every copy.
  const relayed = await tx.select({ id: bridgeMessages.id }).from(bridgeMessages).where(eq(bridgeMessages.memberId, id));
  await forgetBridgeMessages(tx, relayed.map((r) => r.id), now);

  const kept = options.keepFrom ? lt(outbox.createdAt, options.keepFrom) : undefined;
  const direct = await tx
    .delete(outbox)
    .where(
      and(
        isNull(outbox.spaceId),
        or(eq(outbox.memberId, id), addresses.length ? and(eq(outbox.communityId, member.communityId), inArray(outbox.address, addresses)) : undefined),
        kept,
      ),
    )
    .returning({ id: outbox.id });
  await forgetGroupMessages(tx, member, own, now, kept);
  // The posts that named them: their questions, their stories published with their name.
  const named = [...asked.map((q) => `question:${q.id}:post%`), ...storiesAnonymised.filter((s) => !s.anonymous).map((s) => `story:${s.id}:publish%`)];
  if (named.length) {
    await tx
      .update(outbox)
      .set({ payload: { text: '' }, updatedAt: now })
      .where(and(ne(outbox.status, 'pending'), or(...named.map((key) => like(outbox.idempotencyKey, key)))));
  }

  if (addresses.length) {
    // The same account as a member of another community keeps its chat with the bot.
    const others = await tx
      .select(REACH)
      .from(identities)
      .where(
        and(
          ne(identities.memberId, id),
          or(inArray(identities.directAddress, addresses), ...own.map((i) => and(eq(identities.channel, i.channel), eq(identities.externalId, i.externalId)))),
        ),
      );
    const reachedElsewhere = new Set(allDirectAddresses(others));
    const forgotten = addresses.filter((a) => !reachedElsewhere.has(a));
    if (forgotten.length) {
      await tx.delete(conversationReferences).where(inArray(conversationReferences.address, forgotten));
      // What the bot told them before they were a member ("who are you?"): no community's.
      await tx.delete(outbox).where(and(isNull(outbox.communityId), inArray(outbox.address, forgotten)));
    }
  }

  await tx.delete(members).where(eq(members.id, id));
  return {
    identities: own.length,
    upcomingSignups: upcoming.length,
    storiesDeleted: storiesDeleted.length,
    storiesAnonymised: storiesAnonymised.length,
    signaturesAnonymised: signatures.length,
    directMessagesDeleted: direct.length,
  };
}

/**
 * Their traces in the community's other records, which carry a platform id with their number or
 * account in it (a WhatsApp message id names its sender: `false_<group>_<id>_<number>@c.us`):
 * the message records behind the figures get a neutral id, and the bot's messages in the groups
 * to them — a reply quoting them, a welcome with their name — are dropped while waiting, else
 * kept without their text, so the deliveries list still counts them.
 */
async function forgetGroupMessages(tx: Tx, member: Member, own: { externalId: string }[], now: Date, kept: SQL | undefined) {
  const mentions = (column: SQL.Aliased | AnyColumn | SQL) => or(...own.map((i) => sql`strpos(${column}, ${i.externalId}) > 0`));
  const inCommunity = eq(inboundMessages.communityId, member.communityId);
  await tx
    .update(inboundMessages)
    .set({ externalId: sql`'erased:' || ${inboundMessages.id}` })
    .where(and(inCommunity, own.length ? or(eq(inboundMessages.memberId, member.id), mentions(inboundMessages.externalId)) : eq(inboundMessages.memberId, member.id)));
  const theirs = and(
    eq(outbox.communityId, member.communityId),
    own.length ? or(eq(outbox.memberId, member.id), mentions(sql`${outbox.payload}->>'replyTo'`), mentions(outbox.idempotencyKey)) : eq(outbox.memberId, member.id),
    kept,
  );
  await tx.delete(outbox).where(and(theirs, eq(outbox.status, 'pending')));
  await tx
    .update(outbox)
    .set({ payload: { text: '' }, idempotencyKey: sql`'erased:' || ${outbox.id}`, updatedAt: now })
    .where(and(theirs, ne(outbox.status, 'pending')));
}
