import { randomUUID } from 'node:crypto';
import { and, eq, isNull, ne, or, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { identities, type ChannelName } from '../../db/schema/index.js';
import { addressOf, type InboundMessage, type OutboundAction } from '../channel.js';
import type { CommandContext } from '../commands/registry.js';
import { remindNewlyReachable } from '../events/signup.js';
import { channelOf, directAddressOf, directMessageTo } from '../outbox/direct.js';
import { enqueue } from '../outbox/outbox.service.js';

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
  /** Takes a plain message as the member's answer; returns the reply (buttons where `channel` shows them). */
  answer(text: string, channel: ChannelName): Promise<DirectReply>;
}

/** What the bot says back in a direct-chat conversation: lines, and buttons for what it asks, if any. */
export interface DirectReply {
  lines: string[];
  actions?: OutboundAction[];
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
): Promise<(DirectReply & { name: string }) | null> {
  const address = message.replyAddress ?? addressOf(message.channel, message.space.externalId);
  // By identity, not by member: someone in two communities answers the question asked last.
  const sender = and(eq(identities.channel, message.channel), eq(identities.externalId, message.sender.externalId))!;
  const changed = await tx
    .update(identities)
    .set({ directAddress: address, updatedAt: now })
    .where(and(sender, or(isNull(identities.directAddress), ne(identities.directAddress, address))))
    .returning({ memberId: identities.memberId });
  // A Teams member who opens a personal chat becomes reachable there: the reminders of the
  // activities they signed up for before now go there too. (On WhatsApp they were reachable all along.)
  if (message.channel === 'teams' && changed.length) await remindNewlyReachable(tx, changed.map((r) => r.memberId), now);
  if (message.action || /^\s*[/!]/.test(message.text)) return null;
  let latest: { active: ActiveConversation; name: string } | null = null;
  for (const conversation of conversations) {
    const active = await conversation.find(tx, sender, now);
    if (active && (!latest || active.touchedAt > latest.active.touchedAt)) latest = { active, name: conversation.name };
  }
  if (!latest) return null;
  return { ...(await latest.active.answer(message.text, message.channel)), name: latest.name };
}

/**
 * Says `say` to the member who sent a command in a direct chat: as the reply when the command
 * came there, else queued to their direct chat (the group is told it continues there by the
 * caller). False: the bot cannot reach them directly (Teams without a personal chat); then
 * `say`, when a function, is not called.
 */
export async function sayInDirectChat(
  ctx: CommandContext,
  say: string[] | DirectReply | ((channel: ChannelName) => Promise<string[] | DirectReply>),
  key: string,
): Promise<boolean> {
  const address = ctx.direct ? null : await directAddressOf(ctx.tx, ctx.member.id);
  if (!ctx.direct && !address) return false;
  // Only now, when it can be said: `say` may start something (a draft) that needs the member to hear it.
  const said = typeof say === 'function' ? await say(address ? channelOf(address) : ctx.channel) : say;
  const { lines, actions } = Array.isArray(said) ? { lines: said, actions: undefined } : said;
  if (!address) {
    const raw = lines.map((text): ['raw', { text: string }] => ['raw', { text }]);
    if (actions && ctx.replyWith) ctx.replyWith(raw, { actions });
    else ctx.replyLines(raw);
    return true;
  }
  // A redelivered message never gets here twice; `key` only has to be new for each request.
  const to = { communityId: ctx.community.id, memberId: ctx.member.id };
  await enqueue(ctx.tx, [directMessageTo(address, to, lines.join('\n'), `${key}:${randomUUID()}`, ctx.now, actions)]);
  return true;
}

/**
 * Answers in the member's direct chat what is theirs alone (their data, the community's figures):
 * in a direct chat as a reply, from a group in their direct chat with a word in the group that it
 * went there, or — where the bot cannot start one (a Teams member who never opened a personal
 * chat) — only that word, asking them to write to the bot directly.
 */
export async function replyPrivately(ctx: CommandContext, reply: DirectReply, key: string, command: string): Promise<void> {
  if (!(await sayInDirectChat(ctx, reply, key))) return ctx.reply('private.unreachable', { name: ctx.member.displayName, command });
  if (!ctx.direct) ctx.reply('private.sent', { name: ctx.member.displayName });
}
