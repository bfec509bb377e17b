import { desc, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { identities, type ChannelName } from '../../db/schema/index.js';
import type { OutboundAction } from '../channel.js';
import type { OutboxMessage } from './outbox.service.js';

/**
 * Where the bot reaches a member on their own, from their identities (newest first): the
 * address of their last direct chat with the bot (on Teams the only way: a bot cannot open a
 * personal chat with someone who never wrote to it), else their WhatsApp id (a WhatsApp direct
 * chat needs no prior message). Null: not reachable directly.
 */
export function pickAddress(rows: { channel: ChannelName; externalId: string; directAddress: string | null }[]): string | null {
  const direct = rows.find((r) => r.directAddress);
  if (direct) return direct.directAddress;
  const whatsapp = rows.find((r) => r.channel === 'whatsapp');
  return whatsapp ? `whatsapp:${whatsapp.externalId}` : null;
}

/** Every address a member's own chats with the bot may have (see pickAddress): what erasing them clears. */
export function allDirectAddresses(rows: { channel: ChannelName; externalId: string; directAddress: string | null }[]): string[] {
  const addresses = new Set<string>();
  for (const r of rows) {
    if (r.directAddress) addresses.add(r.directAddress);
    if (r.channel === 'whatsapp') addresses.add(`whatsapp:${r.externalId}`);
  }
  return [...addresses];
}

/** The channel an outbox address belongs to (`teams:…` → teams). */
export const channelOf = (address: string) => address.slice(0, address.indexOf(':')) as ChannelName;

/** Each member's direct address (see pickAddress), for those who have one: one query. */
export async function directAddresses(tx: Tx, memberIds: string[]): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  if (memberIds.length === 0) return result;
  const rows = await tx
    .select({ memberId: identities.memberId, channel: identities.channel, externalId: identities.externalId, directAddress: identities.directAddress })
    .from(identities)
    .where(inArray(identities.memberId, [...new Set(memberIds)]))
    .orderBy(desc(identities.updatedAt));
  const byMember = new Map<string, typeof rows>();
  for (const row of rows) byMember.set(row.memberId, [...(byMember.get(row.memberId) ?? []), row]);
  for (const [memberId, own] of byMember) {
    const address = pickAddress(own);
    if (address) result.set(memberId, address);
  }
  return result;
}

/** Where the bot reaches one member directly (see pickAddress); null: not reachable. */
export async function directAddressOf(tx: Tx, memberId: string): Promise<string | null> {
  return (await directAddresses(tx, [memberId])).get(memberId) ?? null;
}

/** A message to a member's direct chat at `address` (from directAddressOf), with buttons where given. */
export function directMessageTo(
  address: string,
  to: { communityId: string; memberId: string },
  text: string,
  idempotencyKey: string,
  now: Date,
  actions?: OutboundAction[],
): OutboxMessage {
  return {
    communityId: to.communityId,
    channel: channelOf(address),
    address,
    spaceId: null,
    memberId: to.memberId,
    payload: { text, ...(actions && { actions }) },
    idempotencyKey,
    availableAt: now,
  };
}
