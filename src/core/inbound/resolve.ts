import { and, desc, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { columnsOf, statement } from '../../db/statement.js';
import { communities, identities, members, outbox, spaces, type Community, type Member, type OutboxPayload, type Space } from '../../db/schema/index.js';
import type { InboundMessage } from '../channel.js';
import { NAME_MAX } from '../commands/basic.commands.js';
import { t } from '../i18n/index.js';

const spaceColumns = columnsOf(spaces);
const communityColumns = columnsOf(communities);
const memberColumns = columnsOf(members);

const selectSpaces = statement<{ channels: string[]; externalIds: string[] }, { space: Space; community: Community }>(
  'inbound_find_spaces',
  sql`select ${spaceColumns.list}, ${communityColumns.list}
      from unnest(${sql.placeholder('channels')}::text[], ${sql.placeholder('externalIds')}::text[]) as wanted(channel, external_id)
      -- Per message, by the unique index: a plan that suits any number of them (see statement()).
      cross join lateral (select ${spaces.id} as space_id from ${spaces} where ${spaces.channel} = wanted.channel and ${spaces.externalId} = wanted.external_id offset 0) as found
      join ${spaces} on ${spaces.id} = found.space_id
      join ${communities} on ${communities.id} = ${spaces.communityId}`,
  (row) => ({ space: spaceColumns.read(row), community: communityColumns.read(row, spaceColumns.width) }),
);

/** Where something happened: enough of a message (or an event) to find its space. */
export type Place = Pick<InboundMessage, 'channel'> & { space: { externalId: string } };

/** The linked spaces (with their communities) group messages came from; a look-up by message. */
export async function findSpaces(tx: Tx, messages: Place[]) {
  const key = (channel: string, externalId: string) => `${channel}\u0000${externalId}`;
  const found = new Map<string, { space: Space; community: Community }>();
  if (messages.length > 0) {
    // One statement whatever the number of messages (see statement()); a space asked for twice, once.
    const wanted = new Map(messages.map((m) => [key(m.channel, m.space.externalId), m]));
    const rows = await selectSpaces(tx, {
      channels: [...wanted.values()].map((m) => m.channel),
      externalIds: [...wanted.values()].map((m) => m.space.externalId),
    });
    for (const row of rows) found.set(key(row.space.channel, row.space.externalId), row);
  }
  return (m: Place) => found.get(key(m.channel, m.space.externalId));
}

const selectMembers = statement<{ communityIds: string[]; channels: string[]; externalIds: string[] }, { member: Member; channel: string; externalId: string }>(
  'inbound_find_members',
  sql`select ${memberColumns.list}, ${identities.channel}, ${identities.externalId}
      from unnest(${sql.placeholder('communityIds')}::uuid[], ${sql.placeholder('channels')}::text[], ${sql.placeholder('externalIds')}::text[])
        as wanted(community_id, channel, external_id)
      join ${identities} on ${identities.communityId} = wanted.community_id and ${identities.channel} = wanted.channel and ${identities.externalId} = wanted.external_id
      join ${members} on ${members.id} = ${identities.memberId}`,
  (row) => ({ member: memberColumns.read(row), channel: row[memberColumns.width] as string, externalId: row[memberColumns.width + 1] as string }),
);

/** Who sent something: enough of a message (or an event) to find or create its member. */
export type Sender = Pick<InboundMessage, 'channel' | 'sender'>;

/** The members behind senders in communities, for those who wrote before; a look-up by sender. */
export async function findMembers(tx: Tx, wanted: { communityId: string; message: Sender }[]) {
  const key = (communityId: string, channel: string, externalId: string) =>
    `${communityId}\u0000${channel}\u0000${externalId}`;
  const found = new Map<string, Member>();
  if (wanted.length > 0) {
    const asked = new Map(wanted.map((w) => [key(w.communityId, w.message.channel, w.message.sender.externalId), w]));
    const rows = await selectMembers(tx, {
      communityIds: [...asked.values()].map((w) => w.communityId),
      channels: [...asked.values()].map((w) => w.message.channel),
      externalIds: [...asked.values()].map((w) => w.message.sender.externalId),
    });
    for (const row of rows) found.set(key(row.member.communityId, row.channel, row.externalId), row.member);
  }
  return (communityId: string, m: Sender) => found.get(key(communityId, m.channel, m.sender.externalId));
}

const selectSendersInSpaces = statement<{ channels: string[]; spaceIds: string[]; senderIds: string[] }, { member: Member; channel: string; spaceId: string; senderId: string }>(
  'inbound_find_senders',
  sql`select ${memberColumns.list}, wanted.channel, wanted.space_id, wanted.sender_id
      from unnest(${sql.placeholder('channels')}::text[], ${sql.placeholder('spaceIds')}::text[], ${sql.placeholder('senderIds')}::text[])
        as wanted(channel, space_id, sender_id)
      -- Per message, by the unique indexes: a plan that suits any number of them (see statement()).
      cross join lateral (
        select ${identities.memberId} as member_id
        from ${spaces}
        join ${identities} on ${identities.communityId} = ${spaces.communityId} and ${identities.channel} = wanted.channel and ${identities.externalId} = wanted.sender_id
        where ${spaces.channel} = wanted.channel and ${spaces.externalId} = wanted.space_id
        offset 0
      ) as sender
      join ${members} on ${members.id} = sender.member_id`,
  (row) => {
    const at = memberColumns.width;
    return { member: memberColumns.read(row), channel: row[at] as string, spaceId: row[at + 1] as string, senderId: row[at + 2] as string };
  },
);

/**
 * The members behind the senders of group messages who wrote before, in the community each
 * message's space belongs to; a look-up by message. The same as findMembers() once findSpaces()
 * has said the community, but without waiting for it: the inbound batch sends both statements at
 * once (one round trip to PostgreSQL instead of two).
 */
export async function findSendersInSpaces(tx: Tx, messages: (Place & Sender)[]) {
  const key = (channel: string, spaceId: string, senderId: string) => `${channel}\u0000${spaceId}\u0000${senderId}`;
  const found = new Map<string, Member>();
  if (messages.length > 0) {
    const asked = new Map(messages.map((m) => [key(m.channel, m.space.externalId, m.sender.externalId), m]));
    const rows = await selectSendersInSpaces(tx, {
      channels: [...asked.values()].map((m) => m.channel),
      spaceIds: [...asked.values()].map((m) => m.space.externalId),
      senderIds: [...asked.values()].map((m) => m.sender.externalId),
    });
    for (const row of rows) found.set(key(row.channel, row.spaceId, row.senderId), row.member);
  }
  return (m: Place & Sender) => found.get(key(m.channel, m.space.externalId, m.sender.externalId));
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

const selectPolls = statement<{ channels: string[]; externalIds: string[] }, { channel: string; externalId: string; payload: OutboxPayload }>(
  'inbound_find_polls',
  sql`select ${outbox.channel}, ${outbox.externalId}, ${outbox.payload}
      from unnest(${sql.placeholder('channels')}::text[], ${sql.placeholder('externalIds')}::text[]) as voted(channel, external_id)
      join ${outbox} on ${outbox.channel} = voted.channel and ${outbox.externalId} = voted.external_id`,
  (row) => ({ channel: row[0] as string, externalId: row[1] as string, payload: outbox.payload.mapFromDriverValue(row[2]) as OutboxPayload }),
);

/**
 * The command each action in a batch stands for: a button carries its own; a poll vote (looked
 * up by the poll message's platform id) runs the poll's command with the choices, or else the
 * first chosen option's own command. Null for a poll we did not send.
 */
export async function resolveActions(tx: Tx, messages: InboundMessage[]) {
  const votes = messages.flatMap((m) => (m.action?.kind === 'poll-vote' ? [{ channel: m.channel, id: m.action.pollMessageId }] : []));
  const polls = new Map<string, OutboxPayload['poll']>();
  if (votes.length > 0) {
    const rows = await selectPolls(tx, { channels: votes.map((v) => v.channel), externalIds: votes.map((v) => v.id) });
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
