import { and, desc, eq, inArray, or } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { communities, identities, members, outbox, spaces, type Community, type Member, type OutboxPayload, type Space } from '../../db/schema/index.js';
import type { InboundMessage } from '../channel.js';
import { NAME_MAX } from '../commands/basic.commands.js';
import { t } from '../i18n/index.js';

/** The linked spaces (with their communities) group messages came from; a look-up by message. */
/** Where something happened: enough of a message (or an event) to find its space. */
export type Place = Pick<InboundMessage, 'channel'> & { space: { externalId: string } };

export async function findSpaces(tx: Tx, messages: Place[]) {
  const key = (channel: string, externalId: string) => `${channel}\u0000${externalId}`;
  const found = new Map<string, { space: Space; community: Community }>();
  if (messages.length > 0) {
    const rows = await tx
      .select({ space: spaces, community: communities })
      .from(spaces)
      .innerJoin(communities, eq(communities.id, spaces.communityId))
      .where(or(...messages.map((m) => and(eq(spaces.channel, m.channel), eq(spaces.externalId, m.space.externalId)))));
    for (const row of rows) found.set(key(row.space.channel, row.space.externalId), row);
  }
  return (m: Place) => found.get(key(m.channel, m.space.externalId));
}

/** The members behind senders in communities, for those who wrote before; a look-up by sender. */
/** Who sent something: enough of a message (or an event) to find or create its member. */
export type Sender = Pick<InboundMessage, 'channel' | 'sender'>;

export async function findMembers(tx: Tx, wanted: { communityId: string; message: Sender }[]) {
  const key = (communityId: string, channel: string, externalId: string) =>
    `${communityId}\u0000${channel}\u0000${externalId}`;
  const found = new Map<string, Member>();
  if (wanted.length > 0) {
    const rows = await tx
      .select({ member: members, channel: identities.channel, externalId: identities.externalId })
      .from(identities)
      .innerJoin(members, eq(members.id, identities.memberId))
      .where(
        and(
          inArray(identities.communityId, [...new Set(wanted.map((w) => w.communityId))]),
          or(...wanted.map((w) => and(eq(identities.channel, w.message.channel), eq(identities.externalId, w.message.sender.externalId)))),
        ),
      );
    for (const row of rows) found.set(key(row.member.communityId, row.channel, row.externalId), row.member);
  }
  return (communityId: string, m: Sender) => found.get(key(communityId, m.channel, m.sender.externalId));
}

/** Creates the member for a sender's first message in a community, with their identity. */
export async function createMember(tx: Tx, community: Community, message: Sender, now: Date): Promise<Member> {
  const [member] = await tx
    .insert(members)
    .values({ communityId: community.id, displayName: displayName(community, message), firstSeenAt: now, lastSeenAt: now })
    .returning();
  await tx.insert(identities).values({
    communityId: community.id,
    memberId: member!.id,
    channel: message.channel,
    externalId: message.sender.externalId,
  });
  return member!;
}

/** In a direct chat: the member this sender is, in the community they were last active in. */
export async function findDirectMember(tx: Tx, message: InboundMessage) {
  const [found] = await tx
    .select({ member: members, community: communities })
    .from(identities)
    .innerJoin(members, eq(members.id, identities.memberId))
    .innerJoin(communities, eq(communities.id, identities.communityId))
    .where(and(eq(identities.channel, message.channel), eq(identities.externalId, message.sender.externalId)))
    .orderBy(desc(members.lastSeenAt))
    .limit(1);
  return found ?? null;
}

export async function reloadMember(tx: Tx, id: string): Promise<Member> {
  const [member] = await tx.select().from(members).where(eq(members.id, id));
  return member!;
}

export async function reloadCommunity(tx: Tx, id: string): Promise<Community> {
  const [community] = await tx.select().from(communities).where(eq(communities.id, id));
  return community!;
}

/** The platform's name for the sender, else "Member" in the community's language. */
function displayName(community: Community, message: Sender): string {
  const name = message.sender.displayName?.trim();
  return (name || t(community.language, 'member.unnamed')).slice(0, NAME_MAX);
}

/**
 * The command each action in a batch stands for: a button carries its own; a poll vote (looked
 * up by the poll message's platform id) runs the poll's command with the choices, or else the
 * first chosen option's own command. Null for a poll we did not send.
 */
export async function resolveActions(tx: Tx, messages: InboundMessage[]) {
  const votes = messages.flatMap((m) => (m.action?.kind === 'poll-vote' ? [{ channel: m.channel, id: m.action.pollMessageId }] : []));
  const polls = new Map<string, OutboxPayload['poll']>();
  if (votes.length > 0) {
    const rows = await tx
      .select({ channel: outbox.channel, externalId: outbox.externalId, payload: outbox.payload })
      .from(outbox)
      .where(or(...votes.map((v) => and(eq(outbox.channel, v.channel), eq(outbox.externalId, v.id)))));
    for (const row of rows) if (row.payload.poll) polls.set(`${row.channel}\u0000${row.externalId}`, row.payload.poll);
  }
  return (m: InboundMessage): string | null => {
    const action = m.action;
    if (!action) return null;
    if (action.kind === 'command') return action.command;
    const poll = polls.get(`${m.channel}\u0000${action.pollMessageId}`);
    if (!poll) return null;
    if (poll.command) {
      const chosen = poll.options.flatMap((o, i) => (action.options.includes(o.label) ? [i + 1] : []));
      return `${poll.command} ${chosen.length ? chosen.join(' ') : '0'}`;
    }
    return poll.options.find((o) => action.options.includes(o.label))?.command ?? null;
  };
}
