import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db, Tx } from '../../db/client.js';
import { inboundMessages, members, outbox, spaceMembers, type Community, type Language, type Member } from '../../db/schema/index.js';
import type { InboundMessage, InboundResult } from '../channel.js';
import { NAME_MAX } from '../commands/basic.commands.js';
import { closest, parseCommand, type ParsedCommand } from '../commands/parse.js';
import type { CommandContext, CommandTable } from '../commands/registry.js';
import { CoreError, isForeignKeyViolation, isUniqueViolation } from '../errors.js';
import { t, type MessageKey, type Params } from '../i18n/index.js';
import { linkConversation } from '../links.service.js';
import { enqueueHandingOff, type HandOffTarget } from '../outbox/handoff.js';
import { enqueue, type OutboxMessage } from '../outbox/outbox.service.js';
import { createBatcher } from './batcher.js';
import { onDirectMessage, type DirectConversation } from './direct.js';
import type { HeardMessage, InboundOptions, MessageListener, Work } from './inbound.types.js';
import { messageKey, reply, storable } from './message.js';
import { dueForRulesReminder, firstContactWelcome, welcomeWanted } from './onboarding.js';
import { markPresent, markSeen, recordInbound } from './records.js';
import {
  createMember,
  findDirectMember,
  findMembers,
  findSendersInSpaces,
  findSpaces,
  reloadCommunity,
  reloadMember,
  resolveActions,
} from './resolve.js';

export type { HeardMessage, InboundOptions, MessageListener } from './inbound.types.js';

/** A reply (quoted, or in a thread) that does not start with / or !: maybe an answer, not a command. */
const replyWithoutCommand = (message: InboundMessage) => Boolean(message.inReplyTo) && !message.action && !/^[/!]/.test(message.text.trim());

/** Longest inbound text the core reads; longer text is cut, not refused (chat has no 400). */
export const MAX_INBOUND_TEXT = 8_000;

/** How fresh a member's last-seen time is kept. */
export const LAST_SEEN_RESOLUTION_MS = 60_000;

/** How often a stranger in a direct chat is told who the bot is. */
export const STRANGER_REPLY_INTERVAL_MS = 24 * 60 * 60_000;

export interface InboundDeps {
  db: Db;
  commands: CommandTable;
  clock: () => Date;
  logger: Logger;
  /** Called after a transaction that queued messages for the dispatcher to claim has committed. */
  onQueued: () => void;
  /** Takes the replies written already claimed once they committed (see handoff.ts); without it all wait for a claim. */
  handOff?: HandOffTarget;
  options?: InboundOptions;
  /** What else happens to ordinary messages (not commands), in the order given. */
  listeners?: MessageListener[];
  /** Conversations in direct chats (a survey, a story) that take plain messages as answers. */
  conversations?: DirectConversation[];
}

/**
 * The inbound pipeline: resolve space and member, parse, run, and in one transaction record the
 * message id (a redelivery is a no-op), the change, and the replies as outbox rows.
 *
 * Messages that arrive together share a transaction (see batcher.ts): resolution, the inbound
 * records, the last-seen update and the outbox rows are one statement each per batch, and the
 * commands run one after another inside it, so the outcome is that of running them in turn.
 */
export function createInboundService({ db, commands, clock, logger, onQueued, handOff, options = {}, listeners = [], conversations = [] }: InboundDeps) {
  // Only words are worth suggesting: every single letter is one edit from "?".
  const suggestable = [...commands.words()].filter((w) => /^\p{L}+$/u.test(w));

  async function processBatch(batch: InboundMessage[]): Promise<InboundResult[]> {
    const now = clock();
    const results: InboundResult[] = [];
    const { queued } = await db.transaction(async (tx) => {
      const outgoing: OutboxMessage[] = [];
      const work: Work[] = [];
      const seen = new Set<string>();
      const actionCommand = await resolveActions(tx, batch);
      batch.forEach((message, index) => {
        const id = messageKey(message.channel, message.externalMessageId);
        if (seen.has(id)) return void (results[index] = { status: 'duplicate' });
        seen.add(id);
        // A button or a poll vote stands for a command typed to the bot; a vote for nothing we
        // know (or taken back) for no command at all.
        // A photo's caption is not a command, however it reads.
        const parsed = message.action
          ? parseCommand(actionCommand(message) ?? '', true)
          : message.media
            ? null
            : parseCommand(message.text.slice(0, MAX_INBOUND_TEXT), message.space.direct || message.mentioned === true);
        const entry = parsed ? commands.find(parsed.word) : null;
        work.push({ index, message, parsed, entry, space: null, community: null, member: null });
      });

      // Who and where: one query for the spaces, one for the members who wrote before, sent together.
      const groups = work.filter((w) => !w.message.space.direct);
      const groupMessages = groups.map((w) => w.message);
      const [spaceOf, memberOf] = await Promise.all([findSpaces(tx, groupMessages), findSendersInSpaces(tx, groupMessages)]);
      for (const w of groups) {
        const found = spaceOf(w.message);
        if (found) ({ space: w.space, community: w.community } = found);
        else if (w.entry?.command.name === 'link') w.linking = true;
        else results[w.index] = { status: 'ignored', reason: 'unlinked-space' };
      }
      const linked = groups.filter((w) => w.community);
      const created = new Map<string, Member>();
      for (const w of linked) {
        const key = `${w.community!.id}\u0000${w.message.sender.externalId}`;
        w.member = memberOf(w.message) ?? created.get(key) ?? null;
        if (!w.member) created.set(key, (w.member = await createMember(tx, w.community!, w.message, now)));
      }
      for (const w of work.filter((w) => w.message.space.direct)) {
        const found = await findDirectMember(tx, w.message);
        if (found) ({ member: w.member, community: w.community } = found);
      }

      // The inbound records: a message id seen before makes that message a no-op.
      const live = work.filter((w) => results[w.index] === undefined);
      const recorded = live.length
        ? await recordInbound(
            tx,
            live.map((w) => ({
              channel: w.message.channel,
              externalId: w.message.externalMessageId,
              communityId: w.community?.id ?? null,
              spaceId: w.space?.id ?? null,
              memberId: w.member?.id ?? null,
              command: w.entry?.command.name ?? (w.parsed && !replyWithoutCommand(w.message) ? 'unknown' : null),
            })),
            now,
          )
        : [];
      const fresh = new Set(recorded.map((r) => messageKey(r.channel, r.externalId)));
      const todo = live.filter((w) => {
        if (fresh.has(messageKey(w.message.channel, w.message.externalMessageId))) return true;
        results[w.index] = { status: 'duplicate' };
        return false;
      });

      // Last seen to the minute is all engagement figures need; a busy chat would otherwise
      // rewrite its members' rows in every transaction.
      const stale = (m: Member) => now.getTime() - m.lastSeenAt.getTime() >= LAST_SEEN_RESOLUTION_MS;
      const seenMembers = [...new Set(todo.flatMap((w) => (w.member && stale(w.member) ? [w.member.id] : [])))];
      if (seenMembers.length) await markSeen(tx, seenMembers, now);
      // Who is in which group, as often as last seen: someone new there, or back after a while.
      const newIds = new Set([...created.values()].map((m) => m.id));
      const present = new Map<string, { spaceId: string; memberId: string }>();
      for (const w of todo) {
        if (w.space && w.member && (newIds.has(w.member.id) || stale(w.member))) {
          present.set(`${w.space.id}:${w.member.id}`, { spaceId: w.space.id, memberId: w.member.id });
        }
      }
      if (present.size) await markPresent(tx, [...present.values()], now);

      // A command that may write makes later messages of that member or community re-read them.
      const dirtyMembers = new Set<string>();
      const dirtyCommunities = new Set<string>();
      const welcomed = new Set<string>();
      const reminded = new Map<string, number>();
      for (const w of todo) {
        if (w.linking) {
          await linkHere(tx, w, now, outgoing);
          results[w.index] = { status: 'processed', command: 'link', ...(w.community && { communityId: w.community.id, memberId: w.member!.id }) };
          continue;
        }
        if (!w.member || !w.community) {
          results[w.index] = { status: 'ignored', reason: 'unknown-member' };
          // Nobody to ask for a language: the platform's hint, else the command word's.
          const language = w.message.locale ?? w.entry?.language ?? 'nl';
          const answer = reply(w.message, w, null, now, outgoing.length, [t(language, 'direct.stranger')]);
          if (!(await answeredStrangerRecently(tx, answer.address, now, outgoing))) outgoing.push(answer);
          continue;
        }
        if (dirtyMembers.has(w.member.id)) w.member = await reloadMember(tx, w.member.id);
        if (dirtyCommunities.has(w.community.id)) w.community = await reloadCommunity(tx, w.community.id);
        results[w.index] = { status: 'processed', communityId: w.community.id, memberId: w.member.id };
        const language = w.member.language ?? w.message.locale ?? w.community.language;
        // First contact in a group: welcomed before anything else is answered.
        if (newIds.has(w.member.id) && w.space && !welcomed.has(w.member.id) && welcomeWanted(w.entry?.command.name)) {
          welcomed.add(w.member.id);
          const welcome = await firstContactWelcome(tx, w.community, w.member, language);
          if (welcome) outgoing.push(reply(w.message, w, w.member.id, now, 'welcome', welcome));
        }
        // In a direct chat, a conversation in progress (a survey, a story) takes plain messages as its answers.
        const answer = w.message.space.direct ? await onDirectMessage(tx, w.message, now, conversations) : null;
        if (answer) {
          outgoing.push(reply(w.message, w, w.member.id, now, outgoing.length, answer.lines, answer.actions && { actions: answer.actions }));
          results[w.index]!.command = answer.name;
        } else if (w.parsed) {
          // An addressed reply without a command word ("@Samen we use a rota" in a Teams thread
          // under a question, where the bot only sees messages that mention it) goes to the
          // listeners first; only when none takes it is it an unknown command.
          const taken = !w.entry && replyWithoutCommand(w.message) ? await hear(tx, w, language, now, outgoing) : undefined;
          if (taken) results[w.index]!.command = taken;
          else {
            await runCommand(tx, w, now, outgoing);
            results[w.index]!.command = w.entry?.command.name ?? 'unknown';
            if (w.entry && !w.entry.command.readOnly) {
              dirtyMembers.add(w.member.id);
              dirtyCommunities.add(w.community.id);
            }
          }
        } else if (!w.message.action) {
          const did = await hear(tx, w, language, now, outgoing);
          if (did) results[w.index]!.command ??= did;
        }
        if (!reminded.has(w.member.id) && dueForRulesReminder(w.member, w.community, now, w.entry?.command.name)) {
          reminded.set(w.member.id, w.community.rulesVersion);
          outgoing.push(reply(w.message, w, w.member.id, now, 'rules-reminder', [t(language, 'rules.reminder', { community: w.community.name, version: w.community.rulesVersion })]));
        }
      }
      for (const [memberId, version] of reminded) {
        await tx.update(members).set({ rulesRemindedVersion: version }).where(eq(members.id, memberId));
      }
      return { queued: await enqueueHandingOff(tx, outgoing, now, handOff) };
    });
    // Committed: the replies written claimed go out now, the others once the dispatcher claims them.
    if (queued.handedOff.length > 0) handOff!.handOff(queued.handedOff);
    if (queued.pending) onQueued();
    return results;
  }

  /** Hands an ordinary message to the listeners; the name of what the first taker did. */
  async function hear(tx: Tx, w: Work, language: Language, now: Date, outgoing: OutboxMessage[]): Promise<string | undefined> {
    const heard: HeardMessage = { message: w.message, community: w.community!, space: w.space, member: w.member!, language, now, queue: (m) => outgoing.push(m) };
    let done: string | undefined;
    for (const listener of listeners) {
      const did = await listener(tx, heard);
      if (did) done ??= did;
    }
    return done;
  }

  async function runCommand(tx: Tx, w: Work, now: Date, outgoing: OutboxMessage[]) {
    const { community, member, parsed, entry } = w as Required<Work> & { community: Community; member: Member; parsed: ParsedCommand };
    const queue = (lines: string[], extra?: Pick<OutboxMessage['payload'], 'actions'>) =>
      outgoing.push(reply(w.message, w, member.id, now, outgoing.length, lines, extra));
    const ctx: CommandContext = {
      tx,
      community,
      member,
      language: member.language ?? entry?.language ?? w.message.locale ?? community.language,
      now,
      direct: w.message.space.direct,
      channel: w.message.channel,
      space: w.space,
      via: w.message.action ? (w.message.action.kind === 'poll-vote' ? 'poll' : 'button') : 'text',
      origin: { message: w.message, space: w.space },
      t: (key: MessageKey, params?: Params) => t(ctx.language, key, params),
      reply: (key, params) => queue([ctx.t(key, params)]),
      replyLines: (lines) => queue(lines.map(([key, params]) => ctx.t(key, params))),
      replyWith: (lines, extra) => queue(lines.map(([key, params]) => ctx.t(key, params)), extra),
    };
    if (!entry) {
      const suggestion = closest(parsed.word, suggestable);
      const word = parsed.word.slice(0, 40);
      if (suggestion) ctx.reply('unknown.suggest', { word, suggestion });
      else ctx.reply('unknown.plain', { word });
      return;
    }
    try {
      await entry.command.run(ctx, parsed.args);
    } catch (error) {
      if (!(error instanceof CoreError)) throw error;
      // The code, not the message: core messages are English, written for API clients.
      ctx.reply(`error.${error.code}` satisfies MessageKey);
    }
  }

  /** `link <slug|code>` in a conversation no community has yet. */
  async function linkHere(tx: Tx, w: Work, now: Date, outgoing: OutboxMessage[]) {
    const { message } = w;
    const arg = w.parsed!.args.split(/\s+/)[0] ?? '';
    let language: Community['language'] = w.entry?.language ?? message.locale ?? 'nl';
    const answer = (key: MessageKey, params?: Params) =>
      outgoing.push(reply(message, w, w.member?.id ?? null, now, outgoing.length, [t(language, key, params)]));
    if (!arg) return answer('link.usage');
    const outcome = await linkConversation(tx, {
      channel: message.channel,
      externalId: message.space.externalId,
      name: (message.space.name?.trim() || t(language, `link.defaultName.${message.channel}`)).slice(0, NAME_MAX),
      senderExternalId: message.sender.externalId,
      arg,
      now,
    });
    switch (outcome.kind) {
      case 'linked': {
        const { community, space } = outcome;
        w.member = (await findMembers(tx, [{ communityId: community.id, message }]))(community.id, message) ?? (await createMember(tx, community, message, now));
        await tx.insert(spaceMembers).values({ spaceId: space.id, memberId: w.member.id, joinedAt: now }).onConflictDoNothing();
        ({ community: w.community, space: w.space } = { community, space });
        language = w.member.language ?? community.language;
        logger.info({ communityId: community.id, spaceId: space.id, channel: message.channel }, 'conversation linked from chat');
        return answer('link.done', { community: community.name });
      }
      case 'refused':
        return answer('link.refused', { slug: arg.slice(0, 60) });
      case 'bad-code':
        return answer('link.badCode');
      case 'taken':
        return answer('link.taken');
    }
  }

  /**
   * A stranger writing to the bot is told once a day who it is, not at every message: a number
   * that answers every stranger is a spam amplifier, and WhatsApp bans numbers for less.
   */
  async function answeredStrangerRecently(tx: Tx, address: string, now: Date, queued: OutboxMessage[]) {
    if (queued.some((m) => m.address === address && m.memberId === null)) return true;
    const [row] = await tx
      .select({ id: outbox.id })
      .from(outbox)
      .where(
        and(
          eq(outbox.address, address),
          isNull(outbox.communityId),
          isNull(outbox.memberId),
          gt(outbox.availableAt, new Date(now.getTime() - STRANGER_REPLY_INTERVAL_MS)),
        ),
      )
      .limit(1);
    return row !== undefined;
  }

  /**
   * After an unexpected failure: record the message (so a redelivery does not fail again) and
   * tell the member something went wrong, in a transaction of its own.
   */
  async function apologise(message: InboundMessage): Promise<void> {
    const queued = await db.transaction(async (tx) => {
      const found = message.space.direct ? undefined : (await findSpaces(tx, [message]))(message);
      const inserted = await tx
        .insert(inboundMessages)
        .values({ channel: message.channel, externalId: message.externalMessageId, communityId: found?.community.id ?? null, spaceId: found?.space.id ?? null, command: 'failed', receivedAt: clock() })
        .onConflictDoNothing({ target: [inboundMessages.channel, inboundMessages.externalId] })
        .returning({ id: inboundMessages.id });
      if (inserted.length === 0) return false;
      const member = found
        ? (await findMembers(tx, [{ communityId: found.community.id, message }]))(found.community.id, message)
        : (await findDirectMember(tx, message))?.member;
      const language = member?.language ?? found?.community.language ?? message.locale ?? 'nl';
      const where = { community: found?.community ?? null, space: found?.space ?? null };
      await enqueue(tx, [reply(message, where, null, clock(), 'failed', [t(language, 'error.generic')])]);
      return true;
    });
    if (queued) onQueued();
  }

  /** One message alone, after its batch failed: retried on a lost race, else apologised for. */
  async function processAlone(message: InboundMessage): Promise<InboundResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return (await processBatch([message]))[0]!;
      } catch (error) {
        // Two first messages from one new member in two transactions at once: both tried to
        // create them. The retry finds the member the other transaction made. Or the member was
        // erased while their message was on its way: the retry makes them a member anew.
        if ((isUniqueViolation(error) || isForeignKeyViolation(error)) && attempt < 3) continue;
        logger.error({ err: error, channel: message.channel }, 'inbound message failed');
        await apologise(message);
        return { status: 'processed', command: 'failed' };
      }
    }
  }

  const batcher = createBatcher(
    async (batch: InboundMessage[]) => {
      try {
        return await processBatch(batch);
      } catch {
        // One message spoiled the batch (or a race lost): take them one by one, so the others
        // still go through and only the culprit gets an apology.
        const results: InboundResult[] = [];
        for (const message of batch) results.push(await processAlone(message));
        return results;
      }
    },
    { maxBatch: options.maxBatch ?? 64, lanes: options.lanes ?? 2 },
  );

  return {
    /** Handles one inbound message; throws only when the database itself fails. */
    handle: (message: InboundMessage): Promise<InboundResult> => batcher.push(storable(message)),
    /** Resolves once the messages already received are committed (for a graceful stop). */
    idle: () => batcher.idle(),
  };
}

export type InboundService = ReturnType<typeof createInboundService>;
