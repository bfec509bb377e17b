/**
 * Sending to WhatsApp: messages, files and native polls, and edits and deletions of what the bot
 * sent, each paced (pacer.ts) and within the daily cap on cold direct messages (cold-dm-cap.ts);
 * a send that cannot go out now is deferred, so it waits in the outbox.
 */
import type { Logger } from 'pino';
import type { AdapterCore } from '../../src/adapter.js';
import { ChannelDeferral, ChannelSendError, type OutboundMessage } from '../../src/core/channel.js';
import { createMedia, createPoll, type WaContent } from './client.js';
import type { ColdDmCap } from './cold-dm-cap.js';
import type { WhatsAppConfig } from './config.js';
import type { Connection, Timers, Tracker } from './connection.js';
import { isQuoteError, toSendError } from './errors.js';
import { createPacer } from './pacer.js';
import { chatIdOf, isGroup, isPerson } from './whatsapp.mapper.js';

/** A send waits up to this long for its pace slot; beyond, it is deferred (the dispatcher times a send out at 30 s). */
const MAX_SEND_WAIT_MS = 5_000;
/** How soon to try a message again while WhatsApp is not connected. */
const NOT_READY_RETRY_MS = 15_000;
/** WhatsApp's own limits: 12 options per poll; option names must differ. */
const MAX_POLL_OPTIONS = 12;

export interface SenderDeps {
  config: WhatsAppConfig;
  core: AdapterCore;
  logger: Logger;
  coldDms: ColdDmCap;
  now: () => number;
  timers: Timers;
  random: () => number;
  connection: Pick<Connection, 'state' | 'client'>;
  track: Tracker['track'];
  /** Option names of the polls we sent, for votes whatsapp-web.js could not name (receive.ts reads it). */
  pollLabels: Map<string, string[]>;
}

/** The port's `send`. */
export function createSender(deps: SenderDeps) {
  const { config, core, logger, coldDms, now, timers, random, connection, track, pollLabels } = deps;
  const sleep = (ms: number) => (timers.sleep ? timers.sleep(ms) : new Promise<void>((resolve) => timers.setTimeout(resolve, ms)));

  const pacer = createPacer({
    paceMs: config.paceMs,
    jitterMs: config.jitterMs,
    chatIntervalMs: config.chatIntervalMs,
    maxWaitMs: MAX_SEND_WAIT_MS,
    random,
  });

  /** A native poll when WhatsApp can show it; else null (the text says what to type). */
  async function pollOf(message: OutboundMessage): Promise<{ content: WaContent; labels: string[] } | null> {
    if (!message.poll) return null;
    const labels = message.poll.options.map((o) => o.label.trim());
    if (labels.length < 2 || labels.length > MAX_POLL_OPTIONS || new Set(labels).size !== labels.length || labels.some((l) => !l)) return null;
    return { content: await createPoll(message.poll.question, labels, message.poll.multiple === true), labels };
  }

  /** The text, with a line per action whose command it does not already name. */
  function textOf(message: OutboundMessage): string {
    const missing = (message.actions ?? []).filter((a) => !message.text.includes(a.command));
    if (missing.length === 0) return message.text;
    return `${message.text}\n\n${missing.map((a, i) => `${i + 1}. ${a.label} — ${a.command}`).join('\n')}`;
  }

  const notReady = () =>
    new ChannelDeferral(`WhatsApp is not connected (${connection.state()}); the message waits`, NOT_READY_RETRY_MS);

  /** An edit or deletion of a message the bot sent: paced like a send, as WhatsApp sees it as one. */
  async function change(message: OutboundMessage & { operation: NonNullable<OutboundMessage['operation']> }, chatId: string): Promise<{ externalId?: string }> {
    const slot = pacer.reserve(message.id, chatId, now());
    if (slot.kind === 'defer') throw new ChannelDeferral(`paced: next WhatsApp send slot in ${slot.at - now()} ms`, slot.at - now());
    if (slot.at > now()) await sleep(slot.at - now());
    const c = connection.client();
    if (connection.state() !== 'ready' || !c?.getMessageById) {
      pacer.release(slot.slot);
      throw notReady();
    }
    try {
      const sent = await track(c.getMessageById(message.operation.target));
      // Gone from WhatsApp Web (too old, or deleted already): nothing left to change.
      if (!sent) throw new ChannelSendError(`message ${message.operation.target} is no longer in WhatsApp`, false);
      if (message.operation.kind === 'delete') await track(sent.delete(true));
      else await track(sent.edit(message.text));
    } catch (error) {
      throw error instanceof ChannelSendError ? error : toSendError(error);
    }
    return {};
  }

  return async function send(message: OutboundMessage): Promise<{ externalId?: string }> {
    const chatId = chatIdOf(message.address);
    if (!chatId) throw new ChannelSendError(`not a WhatsApp chat address: ${message.address}`, false);
    if (connection.state() !== 'ready' || !connection.client()) throw notReady();
    if (message.operation) return change({ ...message, operation: message.operation }, chatId);
    const direct = isPerson(chatId);
    if (direct) {
      const wait = await coldDms.check(message.address, now());
      if (wait !== null) {
        throw new ChannelDeferral(`today's ${config.coldDmDailyCap} direct messages to people who never wrote to the bot are used up`, wait);
      }
    }
    const poll = await pollOf(message);
    const media = message.media ? await createMedia(message.media.mimetype, message.media.data, message.media.filename) : null;
    const content = poll?.content ?? media ?? textOf(message);
    const slot = pacer.reserve(message.id, chatId, now());
    if (slot.kind === 'defer') throw new ChannelDeferral(`paced: next WhatsApp send slot in ${slot.at - now()} ms`, slot.at - now());
    if (slot.at > now()) await sleep(slot.at - now());
    const c = connection.client();
    if (connection.state() !== 'ready' || !c) {
      pacer.release(slot.slot);
      throw notReady();
    }
    if (direct) {
      const taken = coldDms.take(message.address, now());
      if (!taken.ok) {
        pacer.release(slot.slot);
        throw new ChannelDeferral('the daily cap on cold direct messages is used up', coldDms.untilTomorrow(now()));
      }
      void taken.saved.catch((error: unknown) => logger.error({ err: error }, 'cold direct message count not saved'));
    }
    // Called without an await in between since the slot came due, so the send happens in its slot.
    const options = { ...(message.replyTo ? { quotedMessageId: message.replyTo } : {}), ...(media ? { caption: textOf(message) } : {}) };
    const sending = track(c.sendMessage(chatId, content, options));
    let sent: { id: { _serialized: string } };
    try {
      sent = await sending;
    } catch (error) {
      if (!(message.replyTo && isQuoteError(error))) throw toSendError(error);
      // The quoted message is no longer loaded in WhatsApp Web: send it unquoted.
      try {
        sent = await track(c.sendMessage(chatId, content, media ? { caption: textOf(message) } : {}));
      } catch (again) {
        throw toSendError(again);
      }
    }
    const externalId = sent.id._serialized;
    if (poll) {
      pollLabels.set(externalId, poll.labels);
      await core.references
        .put(`whatsapp:poll:${externalId}`, 'whatsapp', { options: poll.labels })
        .catch((error: unknown) => logger.warn({ err: error }, 'poll options not saved'));
    }
    if (!isGroup(chatId) && !direct) logger.debug({ chatId }, 'sent to an unusual chat id');
    return { externalId };
  };
}
