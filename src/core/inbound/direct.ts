import { randomUUID } from 'node:crypto';
import { and, desc, eq, isNull, ne, or, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { identities, type ChannelName } from '../../db/schema/index.js';
import { addressOf, type InboundMessage } from '../channel.js';
import type { CommandContext } from '../commands/registry.js';
import { enqueue, type OutboxMessage } from '../outbox/outbox.service.js';

/**
 * Conversations the bot holds in a direct chat — a survey's questions, a failure story's
 * questions — and where it reaches a member directly. Everything here runs inside the caller's
 * transaction.
 */

/** Typed plainly in a conversation, these pause it. */
export const STOP_WORDS = ['stop', 'stoppen', 'pause', 'pauze'];

/** A conversation in progress for the sender of a message, found by one kind of conversation. */
export interface ActiveConversation {
  /** When it was last touched: of several in progress, the latest takes the message. */
  touchedAt: Date;
  /** Takes a plain message as the member's answer; returns the reply lines. */
  answer(text: string): Promise<string[]>;
}

/** One kind of direct-chat conversation. */
export interface DirectConversation {
  /** What a message it took counts as in the figures (`survey-answer`). */
  name: string;
  /** The sender's conversation of this kind in progress, locked for the transaction; or null. */
  find(tx: Tx, sender: SQL, now: Date): Promise<ActiveConversation | null>;
}

/**
 * The inbound hook for a known member's message in a direct chat: remembers where they can be
 * reached directly (Teams gives a personal chat its own conversation id), and while a
 * conversation is in progress takes a typed message without a leading / or ! as its answer.
 * Returns the reply lines and the conversation's name, or null when the message was no answer
 * (the pipeline then reads it as a command).
 */
export async function onDirectMessage(
  tx: Tx,
  message: InboundMessage,
  now: Date,
  conversations: DirectConversation[],
): Promise<{ lines: string[]; name: string } | null> {
  const address = message.replyAddress ?? addressOf(message.channel, message.space.externalId);
  // By identity, not by member: someone in two communities answers the question asked last.
  const sender = and(eq(identities.channel, message.channel), eq(identities.externalId, message.sender.externalId))!;
  await tx
    .update(identities)
    .set({ directAddress: address, updatedAt: now })
    .where(and(sender, or(isNull(identities.directAddress), ne(identities.directAddress, address))));
  if (message.action || /^\s*[/!]/.test(message.text)) return null;
  let latest: { active: ActiveConversation; name: string } | null = null;
  for (const conversation of conversations) {
    const active = await conversation.find(tx, sender, now);
    if (active && (!latest || active.touchedAt > latest.active.touchedAt)) latest = { active, name: conversation.name };
  }
  if (!latest) return null;
  return { lines: await latest.active.answer(message.text), name: latest.name };
}

/**
 * Where the bot reaches a member directly: the address of their last direct chat, else their
 * WhatsApp id (a WhatsApp direct chat needs no prior message). Null: not reachable.
 */
export async function directAddressOf(tx: Tx, memberId: string): Promise<string | null> {
  const rows = await tx
    .select({ channel: identities.channel, externalId: identities.externalId, directAddress: identities.directAddress })
    .from(identities)
    .where(eq(identities.memberId, memberId))
    .orderBy(desc(identities.updatedAt));
  return pickAddress(rows);
}

export function pickAddress(rows: { channel: ChannelName; externalId: string; directAddress: string | null }[]): string | null {
  const direct = rows.find((r) => r.directAddress);
  if (direct) return direct.directAddress;
  const whatsapp = rows.find((r) => r.channel === 'whatsapp');
  return whatsapp ? `whatsapp:${whatsapp.externalId}` : null;
}

/** A message to a member's direct chat at `address` (from directAddressOf), with buttons where given. */
export function directMessageTo(
  address: string,
  to: { communityId: string; memberId: string },
  text: string,
  idempotencyKey: string,
  now: Date,
  actions?: { label: string; command: string }[],
): OutboxMessage {
  return {
    communityId: to.communityId,
    channel: address.slice(0, address.indexOf(':')) as ChannelName,
    address,
    spaceId: null,
    memberId: to.memberId,
    payload: { text, ...(actions && { actions }) },
    idempotencyKey,
    availableAt: now,
  };
}

/**
 * Says `say` to the member who sent a command in a direct chat: as the reply when the command
 * came there, else queued to their direct chat (the group is told it continues there by the
 * caller). False: the bot cannot reach them directly (Teams without a personal chat); then
 * `say`, when a function, is not called.
 */
export async function sayInDirectChat(ctx: CommandContext, say: string[] | (() => Promise<string[]>), key: string): Promise<boolean> {
  const address = ctx.direct ? null : await directAddressOf(ctx.tx, ctx.member.id);
  if (!ctx.direct && !address) return false;
  // Only now, when it can be said: `say` may start something (a draft) that needs the member to hear it.
  const lines = typeof say === 'function' ? await say() : say;
  if (!address) {
    ctx.replyLines(lines.map((text) => ['raw', { text }]));
    return true;
  }
  // A redelivered message never gets here twice; `key` only has to be new for each request.
  await enqueue(ctx.tx, [directMessageTo(address, { communityId: ctx.community.id, memberId: ctx.member.id }, lines.join('\n'), `${key}:${randomUUID()}`, ctx.now)]);
  return true;
}
