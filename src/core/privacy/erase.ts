import { and, eq, gt, inArray, isNull, ne, or } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import {
  bridgeMessages,
  conversationReferences,
  declarationSignatures,
  eventAttendees,
  events,
  identities,
  members,
  outbox,
  questions,
  stories,
  type Community,
  type Member,
} from '../../db/schema/index.js';
import { leave, lockEvent } from '../events/signup.js';
import { t } from '../i18n/index.js';
import { allDirectAddresses } from '../outbox/direct.js';

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
export async function eraseMember(tx: Tx, member: Member, community: Community, now: Date): Promise<ErasureSummary> {
  const id = member.id;
  const own = await tx
    .select({ channel: identities.channel, externalId: identities.externalId, directAddress: identities.directAddress })
    .from(identities)
    .where(eq(identities.memberId, id));
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
    .update(stories)
    .set({ anonymous: true, authorName: '', updatedAt: now })
    .where(and(eq(stories.authorId, id), eq(stories.status, 'published')))
    .returning({ id: stories.id });
  const signatures = await tx
    .update(declarationSignatures)
    .set({ signerName: t(community.language, 'privacy.formerMember') })
    .where(eq(declarationSignatures.memberId, id))
    .returning({ id: declarationSignatures.id });
  // Where they asked a question is where they heard of its answers: nobody to tell any more.
  await tx.update(questions).set({ askedChannel: null, askedAddress: null, askedMessageId: null, notifyDueAt: null }).where(eq(questions.askedById, id));
  await tx.update(bridgeMessages).set({ excerpt: '' }).where(eq(bridgeMessages.memberId, id));
  const direct = await tx
    .delete(outbox)
    .where(
      and(
        isNull(outbox.spaceId),
        or(eq(outbox.memberId, id), addresses.length ? and(eq(outbox.communityId, member.communityId), inArray(outbox.address, addresses)) : undefined),
      ),
    )
    .returning({ id: outbox.id });

  if (addresses.length) {
    // The same account as a member of another community keeps its chat with the bot.
    const others = await tx
      .select({ channel: identities.channel, externalId: identities.externalId, directAddress: identities.directAddress })
      .from(identities)
      .where(
        and(
          ne(identities.memberId, id),
          or(inArray(identities.directAddress, addresses), ...own.map((i) => and(eq(identities.channel, i.channel), eq(identities.externalId, i.externalId)))),
        ),
      );
    const kept = new Set(allDirectAddresses(others));
    const forgotten = addresses.filter((a) => !kept.has(a));
    if (forgotten.length) await tx.delete(conversationReferences).where(inArray(conversationReferences.address, forgotten));
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
