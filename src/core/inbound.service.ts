import { and, desc, eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db, Tx } from '../db/client.js';
import {
  communities,
  identities,
  inboundMessages,
  members,
  type Community,
  type Language,
  type Member,
  type Space,
  spaces,
} from '../db/schema/index.js';
import { addressOf, type InboundMessage, type InboundResult } from './channel.js';
import { NAME_MAX } from './commands/basic.commands.js';
import { closest, parseCommand } from './commands/parse.js';
import type { CommandContext, CommandTable } from './commands/registry.js';
import { CoreError, isUniqueViolation } from './errors.js';
import { t, type MessageKey, type Params } from './i18n/index.js';
import { enqueue, type OutboxMessage } from './outbox/outbox.service.js';

/** Longest inbound text the core reads; longer text is cut, not refused (chat has no 400). */
export const MAX_INBOUND_TEXT = 8_000;

/** Rolls the transaction back without an error reaching the caller. */
class Duplicate extends Error {}

export interface InboundDeps {
  db: Db;
  commands: CommandTable;
  clock: () => Date;
  logger: Logger;
  /** Called after a transaction that queued messages has committed. */
  onQueued: () => void;
}

/**
 * The inbound pipeline: resolve space and member, parse, run, and in one transaction record the
 * message id (a redelivery is a no-op), the change, and the replies as outbox rows.
 */
export function createInboundService({ db, commands, clock, logger, onQueued }: InboundDeps) {
  async function findSpace(tx: Tx, message: InboundMessage) {
    const [row] = await tx
      .select({ space: spaces, community: communities })
      .from(spaces)
      .innerJoin(communities, eq(communities.id, spaces.communityId))
      .where(and(eq(spaces.channel, message.channel), eq(spaces.externalId, message.space.externalId)));
    return row ?? null;
  }

  /** The member behind a sender in a community; created on first contact. */
  async function memberIn(tx: Tx, community: Community, message: InboundMessage, now: Date): Promise<Member> {
    const [found] = await tx
      .select({ member: members })
      .from(identities)
      .innerJoin(members, eq(members.id, identities.memberId))
      .where(
        and(
          eq(identities.communityId, community.id),
          eq(identities.channel, message.channel),
          eq(identities.externalId, message.sender.externalId),
        ),
      );
    if (found) {
      const [member] = await tx
        .update(members)
        .set({ lastSeenAt: now })
        .where(eq(members.id, found.member.id))
        .returning();
      return member!;
    }
    const [member] = await tx
      .insert(members)
      .values({
        communityId: community.id,
        displayName: displayName(message),
        firstSeenAt: now,
        lastSeenAt: now,
      })
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
  async function memberAnywhere(tx: Tx, message: InboundMessage, now: Date) {
    const [found] = await tx
      .select({ member: members, community: communities })
      .from(identities)
      .innerJoin(members, eq(members.id, identities.memberId))
      .innerJoin(communities, eq(communities.id, identities.communityId))
      .where(and(eq(identities.channel, message.channel), eq(identities.externalId, message.sender.externalId)))
      .orderBy(desc(members.lastSeenAt))
      .limit(1);
    if (!found) return null;
    await tx.update(members).set({ lastSeenAt: now }).where(eq(members.id, found.member.id));
    return found;
  }

  async function process(message: InboundMessage): Promise<{ result: InboundResult; queued: number }> {
    const now = clock();
    const text = message.text.slice(0, MAX_INBOUND_TEXT);
    const addressed = message.space.direct || message.mentioned === true;
    const parsed = parseCommand(text, addressed);
    const replyAddress = message.replyAddress ?? addressOf(message.channel, message.space.externalId);

    return db.transaction(async (tx) => {
      let space: Space | null = null;
      let community: Community;
      let member: Member;
      const outgoing: OutboxMessage[] = [];
      const queue = (communityId: string | null, memberId: string | null, lines: string[]) => {
        outgoing.push({
          communityId,
          channel: message.channel,
          address: replyAddress,
          spaceId: space?.id ?? null,
          memberId,
          payload: { text: lines.join('\n') },
          idempotencyKey: `reply:${message.channel}:${message.externalMessageId}:${outgoing.length}`,
          availableAt: now,
        });
      };
      const record = (values: { communityId: string | null; memberId: string | null; command: string | null }) =>
        tx
          .insert(inboundMessages)
          .values({ channel: message.channel, externalId: message.externalMessageId, spaceId: space?.id ?? null, receivedAt: now, ...values })
          .onConflictDoNothing({ target: [inboundMessages.channel, inboundMessages.externalId] })
          .returning({ id: inboundMessages.id });

      if (message.space.direct) {
        const found = await memberAnywhere(tx, message, now);
        if (!found) {
          if ((await record({ communityId: null, memberId: null, command: null })).length === 0) throw new Duplicate();
          // Nobody to ask for a language: the platform's hint, else the command word's.
          const language = message.locale ?? (parsed && commands.find(parsed.word)?.language) ?? 'nl';
          queue(null, null, [t(language, 'direct.stranger')]);
          await enqueue(tx, outgoing);
          return { result: { status: 'ignored', reason: 'unknown-member' }, queued: outgoing.length };
        }
        ({ member, community } = found);
      } else {
        const found = await findSpace(tx, message);
        if (!found) return { result: { status: 'ignored', reason: 'unlinked-space' }, queued: 0 };
        ({ space, community } = found);
        member = await memberIn(tx, community, message, now);
      }

      const entry = parsed ? commands.find(parsed.word) : null;
      const inserted = await record({
        communityId: community.id,
        memberId: member.id,
        command: entry?.command.name ?? (parsed ? 'unknown' : null),
      });
      if (inserted.length === 0) throw new Duplicate();

      const base = { status: 'processed' as const, communityId: community.id, memberId: member.id };
      if (!parsed) return { result: base, queued: 0 };

      const ctx: CommandContext = {
        tx,
        community,
        member,
        language: member.language ?? entry?.language ?? community.language,
        now,
        direct: message.space.direct,
        t: (key: MessageKey, params?: Params) => t(ctx.language, key, params),
        reply: (key, params) => queue(community.id, member.id, [ctx.t(key, params)]),
        replyLines: (lines) => queue(community.id, member.id, lines.map(([key, params]) => ctx.t(key, params))),
      };

      if (!entry) {
        // Only words are worth suggesting: every single letter is one edit from "?", and
        // "Did you mean *?*?" helps nobody.
        const suggestion = closest(parsed.word, [...commands.words()].filter((w) => /^\p{L}+$/u.test(w)));
        const word = parsed.word.slice(0, 40);
        if (suggestion) ctx.reply('unknown.suggest', { word, suggestion });
        else ctx.reply('unknown.plain', { word });
      } else {
        try {
          await entry.command.run(ctx, parsed.args);
        } catch (error) {
          if (!(error instanceof CoreError)) throw error;
          ctx.reply(`error.${error.code}` as MessageKey, { message: error.message });
        }
      }
      await enqueue(tx, outgoing);
      return { result: { ...base, command: entry?.command.name ?? 'unknown' }, queued: outgoing.length };
    });
  }

  /**
   * After an unexpected failure: record the message (so a redelivery does not fail again) and
   * tell the member something went wrong, in a transaction of its own.
   */
  async function apologise(message: InboundMessage): Promise<boolean> {
    return db.transaction(async (tx) => {
      const found = message.space.direct ? null : await findSpace(tx, message);
      const inserted = await tx
        .insert(inboundMessages)
        .values({ channel: message.channel, externalId: message.externalMessageId, communityId: found?.community.id ?? null, spaceId: found?.space.id ?? null, command: 'failed', receivedAt: clock() })
        .onConflictDoNothing({ target: [inboundMessages.channel, inboundMessages.externalId] })
        .returning({ id: inboundMessages.id });
      if (inserted.length === 0) return false;
      const language = found?.community.language ?? message.locale ?? 'nl';
      await enqueue(tx, [
        {
          communityId: found?.community.id ?? null,
          channel: message.channel,
          address: message.replyAddress ?? addressOf(message.channel, message.space.externalId),
          spaceId: found?.space.id ?? null,
          payload: { text: t(language, 'error.generic') },
          idempotencyKey: `reply:${message.channel}:${message.externalMessageId}:failed`,
          availableAt: clock(),
        },
      ]);
      return true;
    });
  }

  return {
    /** Handles one inbound message; throws only when the database itself fails. */
    async handle(message: InboundMessage): Promise<InboundResult> {
      for (let attempt = 1; ; attempt++) {
        try {
          const { result, queued } = await process(message);
          if (queued > 0) onQueued();
          return result;
        } catch (error) {
          if (error instanceof Duplicate) return { status: 'duplicate' };
          // Two first messages from one new member at once: both tried to create them.
          // The retry finds the member the other transaction made.
          if (isUniqueViolation(error) && attempt < 3) continue;
          logger.error({ err: error, channel: message.channel }, 'inbound message failed');
          if (await apologise(message)) onQueued();
          return { status: 'processed', command: 'failed' };
        }
      }
    },
  };
}

export type InboundService = ReturnType<typeof createInboundService>;

function displayName(message: InboundMessage): string {
  const name = message.sender.displayName?.trim();
  return (name || 'Member').slice(0, NAME_MAX);
}
