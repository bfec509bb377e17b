import { and, eq, inArray, isNotNull, or, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db, Tx } from '../../db/client.js';
import { conversationReferences, identities, inboundMessages, outbox, spaceMembers, type Community, type Language } from '../../db/schema/index.js';
import { addressOf, type ChannelEvent, type ChannelEventResult } from '../channel.js';
import { currentRules } from '../communities.service.js';
import { storableText } from '../errors.js';
import { t } from '../i18n/index.js';
import { enqueue } from '../outbox/outbox.service.js';
import { createMember, findMembers, findSpaces } from './resolve.js';

/** An edit or deletion of a message, as adapters report it. */
export type MessageChange = Extract<ChannelEvent, { kind: 'message-edited' | 'message-deleted' }>;

/** Why an outbox row was parked when the bot was removed from its conversation (deliveries list). */
export const BOT_REMOVED_REASON = 'not sent: the bot was removed from this conversation (the app was uninstalled there)';

/** At most this many names in one welcome; a whole department added at once gets "and N others". */
const WELCOME_NAMES = 10;

/**
 * Joins, leaves and the bot being added: each in a transaction of its own (they are rare next
 * to messages), recorded like a message so a redelivered event has one effect.
 */
export function createChannelEventsService(
  db: Db,
  clock: () => Date,
  logger: Logger,
  onQueued: () => void,
  /** Edits and deletions of messages: the bridge carries them to its copies. */
  onMessageChange: (event: MessageChange) => Promise<ChannelEventResult> = async () => ({ status: 'ignored' }),
) {
  async function record(tx: Tx, event: ChannelEvent, now: Date, where: { communityId?: string; spaceId?: string }) {
    const inserted = await tx
      .insert(inboundMessages)
      .values({ channel: event.channel, externalId: `event:${storableText(event.externalEventId)}`, communityId: where.communityId ?? null, spaceId: where.spaceId ?? null, command: event.kind, receivedAt: now })
      .onConflictDoNothing({ target: [inboundMessages.channel, inboundMessages.externalId] })
      .returning({ id: inboundMessages.id });
    return inserted.length > 0;
  }

  const replyTo = (event: ChannelEvent & { replyAddress?: string }) => event.replyAddress ?? addressOf(event.channel, event.space.externalId);

  async function handle(event: ChannelEvent): Promise<ChannelEventResult> {
    if (event.kind === 'message-edited' || event.kind === 'message-deleted') return onMessageChange(event);
    const now = clock();
    const result = await db.transaction(async (tx): Promise<ChannelEventResult & { queued?: boolean }> => {
      const found = (await findSpaces(tx, [event]))(event);
      if (event.kind === 'bot-added') {
        if (!(await record(tx, event, now, { communityId: found?.community.id, spaceId: found?.space.id }))) return { status: 'duplicate' };
        const language: Language = found?.community.language ?? event.locale ?? 'nl';
        const text = found ? t(language, 'bot.added.linked', { community: found.community.name }) : t(language, 'bot.added.unlinked');
        await enqueue(tx, [
          { communityId: found?.community.id ?? null, channel: event.channel, address: replyTo(event), spaceId: found?.space.id ?? null, memberId: null, payload: { text }, idempotencyKey: `event:${event.channel}:${event.externalEventId}`, availableAt: now },
        ]);
        return { status: 'processed', queued: true };
      }
      if (event.kind === 'bot-removed') {
        if (!(await record(tx, event, now, { communityId: found?.community.id, spaceId: found?.space.id }))) return { status: 'duplicate' };
        await botRemoved(tx, event, found?.space.id ?? null, now);
        logger.info({ channel: event.channel, spaceId: found?.space.id }, 'bot removed from a conversation; its pending messages are parked');
        return { status: 'processed' };
      }
      if (!found) return { status: 'ignored', reason: 'unlinked-space' };
      const { community, space } = found;
      if (!(await record(tx, event, now, { communityId: community.id, spaceId: space.id }))) return { status: 'duplicate' };

      if (event.kind === 'members-left') {
        const ids = event.members.map((m) => storableText(m.externalId));
        if (ids.length === 0) return { status: 'processed' };
        const gone = tx
          .select({ id: identities.memberId })
          .from(identities)
          .where(and(eq(identities.communityId, community.id), eq(identities.channel, event.channel), inArray(identities.externalId, ids)));
        await tx.update(spaceMembers).set({ leftAt: now }).where(and(eq(spaceMembers.spaceId, space.id), inArray(spaceMembers.memberId, gone)));
        return { status: 'processed' };
      }

      // members-joined: they are members from now on, in this space, and are welcomed.
      const people = event.members.map((m) => ({ channel: event.channel, sender: { externalId: storableText(m.externalId), displayName: m.displayName && storableText(m.displayName) } }));
      if (people.length === 0) return { status: 'processed' };
      const known = await findMembers(tx, people.map((message) => ({ communityId: community.id, message })));
      const joined = [];
      for (const person of people) joined.push(known(community.id, person) ?? (await createMember(tx, community, person, now)));
      await tx
        .insert(spaceMembers)
        .values(joined.map((m) => ({ spaceId: space.id, memberId: m.id, joinedAt: now })))
        .onConflictDoUpdate({ target: [spaceMembers.spaceId, spaceMembers.memberId], set: { joinedAt: now, leftAt: null }, setWhere: isNotNull(spaceMembers.leftAt) });
      await enqueue(tx, [
        { communityId: community.id, channel: event.channel, address: replyTo(event), spaceId: space.id, memberId: null, payload: { text: await welcome(tx, community, joined.map((m) => m.displayName)) }, idempotencyKey: `event:${event.channel}:${event.externalEventId}`, availableAt: now },
      ]);
      return { status: 'processed', queued: true };
    });
    if (result.queued) onQueued();
    logger.debug({ kind: event.kind, channel: event.channel, status: result.status }, 'channel event');
    return { status: result.status, ...(result.reason && { reason: result.reason }) };
  }

  return { handle };
}

/**
 * The bot can no longer post in a conversation: forget how to reach it (a new install brings a
 * fresh reference) and park what waits to go there — rows for its space, to its address, or to
 * an address within it (a thread: the conversation's address followed by ';') — as failed with
 * the reason, so the deliveries list says why. Rows being sent right now are left to finish.
 */
async function botRemoved(tx: Tx, event: ChannelEvent, spaceId: string | null, now: Date) {
  const address = addressOf(event.channel, event.space.externalId);
  await tx.delete(conversationReferences).where(eq(conversationReferences.address, address));
  await tx
    .update(outbox)
    .set({ status: 'failed', leaseUntil: null, lastError: BOT_REMOVED_REASON, updatedAt: now })
    .where(
      and(
        eq(outbox.channel, event.channel),
        eq(outbox.status, 'pending'),
        or(
          eq(outbox.address, address),
          sql`starts_with(${outbox.address}, ${`${address};`})`,
          spaceId ? eq(outbox.spaceId, spaceId) : undefined,
        ),
      ),
    );
}

/** The welcome for people who joined a group: their names, the house rules, where to start. */
async function welcome(tx: Tx, community: Community, names: string[]): Promise<string> {
  const language = community.language;
  const shown = names.slice(0, WELCOME_NAMES);
  const rest = names.length - shown.length;
  const list =
    rest > 0
      ? t(language, 'list.and', { first: shown.join(', '), last: t(language, 'welcome.others', { count: rest }) })
      : shown.length > 1
        ? t(language, 'list.and', { first: shown.slice(0, -1).join(', '), last: shown.at(-1)! })
        : shown[0]!;
  const rules = await currentRules(tx, community);
  return [
    t(language, 'welcome.joined', { community: community.name, names: list }),
    rules ? t(language, 'welcome.rules', { version: rules.version, text: rules.text }) : t(language, 'welcome.help'),
  ].join('\n\n');
}
