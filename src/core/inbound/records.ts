/** The batch's own writes, one fixed statement each whatever the batch's size (see statement()). */
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { statement } from '../../db/statement.js';
import { inboundMessages, members, spaceMembers } from '../../db/schema/index.js';
import type { ChannelName } from '../channel.js';

/** One handled message as recorded: what it ran, where, for whom. */
export interface InboundRecord {
  channel: ChannelName;
  externalId: string;
  communityId: string | null;
  spaceId: string | null;
  memberId: string | null;
  command: string | null;
}

const insertInbound = statement<
  { channels: string[]; externalIds: string[]; communityIds: (string | null)[]; spaceIds: (string | null)[]; memberIds: (string | null)[]; commands: (string | null)[]; now: string },
  { channel: ChannelName; externalId: string }
>(
  'inbound_record',
  sql`insert into ${inboundMessages} (channel, external_id, community_id, space_id, member_id, command, received_at)
      select m.channel, m.external_id, m.community_id, m.space_id, m.member_id, m.command, ${sql.placeholder('now')}::timestamptz
      from unnest(${sql.placeholder('channels')}::text[], ${sql.placeholder('externalIds')}::text[], ${sql.placeholder('communityIds')}::uuid[],
                  ${sql.placeholder('spaceIds')}::uuid[], ${sql.placeholder('memberIds')}::uuid[], ${sql.placeholder('commands')}::text[])
        as m(channel, external_id, community_id, space_id, member_id, command)
      on conflict (channel, external_id) do nothing
      returning channel, external_id`,
  (row) => ({ channel: row[0] as ChannelName, externalId: row[1] as string }),
);

/**
 * Records the messages (in order) and returns the ones recorded now; one whose (channel, id) was
 * recorded before is left out, which makes a redelivery a no-op.
 */
export function recordInbound(tx: Tx, records: InboundRecord[], now: Date) {
  return insertInbound(tx, {
    channels: records.map((r) => r.channel),
    externalIds: records.map((r) => r.externalId),
    communityIds: records.map((r) => r.communityId),
    spaceIds: records.map((r) => r.spaceId),
    memberIds: records.map((r) => r.memberId),
    commands: records.map((r) => r.command),
    now: now.toISOString(),
  });
}

const updateLastSeen = statement<{ ids: string[]; now: string }>(
  'inbound_last_seen',
  sql`update ${members} set last_seen_at = ${sql.placeholder('now')}::timestamptz where id = any(${sql.placeholder('ids')}::uuid[])`,
);

/** Marks the members as seen now. */
export async function markSeen(tx: Tx, memberIds: string[], now: Date): Promise<void> {
  await updateLastSeen(tx, { ids: memberIds, now: now.toISOString() });
}

const insertPresence = statement<{ spaceIds: string[]; memberIds: string[]; now: string }>(
  'inbound_space_members',
  sql`insert into ${spaceMembers} (space_id, member_id, joined_at)
      select p.space_id, p.member_id, ${sql.placeholder('now')}::timestamptz
      from unnest(${sql.placeholder('spaceIds')}::uuid[], ${sql.placeholder('memberIds')}::uuid[]) as p(space_id, member_id)
      on conflict do nothing`,
);

/** Records that the members are in the spaces, joined now unless they were there already. */
export async function markPresent(tx: Tx, pairs: { spaceId: string; memberId: string }[], now: Date): Promise<void> {
  await insertPresence(tx, { spaceIds: pairs.map((p) => p.spaceId), memberIds: pairs.map((p) => p.memberId), now: now.toISOString() });
}
