/**
 * Receiving from WhatsApp: the listeners for messages, group joins and leaves, poll votes, and
 * edits and deletions (for the bridge) of the live client, each mapped (whatsapp.mapper.ts) and
 * handed to the core — kept for a retry when the core cannot take it (inbound-retry.ts); a group
 * member's file fetched for the bridge to carry.
 */
import type { Logger } from 'pino';
import type { AdapterCore } from '../../src/adapter.js';
import type { InboundMessage } from '../../src/core/channel.js';
import type { WhatsAppClient } from './client.js';
import type { ColdDmCap } from './cold-dm-cap.js';
import type { Tracker } from './connection.js';
import type { InboundRetry } from './inbound-retry.js';
import {
  looksLikeLinkCommand,
  notificationToEvent,
  quotedReference,
  safeDisplayName,
  serialized,
  toInbound,
  toMessageChange,
  voteToInbound,
  type Me,
} from './whatsapp.mapper.js';

export interface ReceiverDeps {
  core: AdapterCore;
  logger: Logger;
  coldDms: ColdDmCap;
  now: () => number;
  /** Largest file fetched for the bridge to carry; larger ones are announced. */
  mediaMaxBytes: number;
  /** The ids the bot is known by now. */
  me: () => Me;
  /** Option names of the polls we sent, for votes whatsapp-web.js could not name (send.ts fills it). */
  pollLabels: Map<string, string[]>;
  track: Tracker['track'];
  /** Hands mapped work to the core, keeping it for a retry when the core throws. */
  retry: InboundRetry;
}

export function createReceiver(deps: ReceiverDeps) {
  const { core, logger, coldDms, now, mediaMaxBytes, me, pollLabels, track, retry } = deps;

  async function onMessage(msg: Parameters<typeof toInbound>[0]) {
    let inbound: InboundMessage;
    try {
      if (!toInbound(msg, me(), undefined)) return; // cheap checks first: no lookups for what is ignored
      const name =
        safeDisplayName(msg._data?.notifyName) ??
        safeDisplayName(await msg.getContact?.().then((contact) => contact.pushname, () => undefined));
      inbound = toInbound(msg, me(), name)!;
      // The core decides which groups are linked (and links one on `link <slug>`), so every group
      // message goes to it; for a link command the group's name comes along.
      if (!inbound.space.direct && looksLikeLinkCommand(inbound.text)) {
        const chatName = await msg.getChat?.().then((chat) => chat.name, () => undefined);
        if (chatName) inbound.space.name = chatName;
      }
      if (msg.hasQuotedMsg && msg.getQuotedMessage) {
        const quoted = await msg.getQuotedMessage().catch(() => undefined);
        if (quoted?.id?._serialized) inbound.inReplyTo = quotedReference(quoted.id._serialized, quoted.body);
      }
      if (inbound.media) inbound.media = { ...inbound.media, ...(await fetchMedia(msg)) };
    } catch (error) {
      logger.error({ err: error, messageId: msg.id?._serialized }, 'WhatsApp message not handled');
      return;
    }
    const { space } = inbound;
    await retry.hand({ kind: 'message', id: inbound.externalMessageId, chat: space.externalId }, async () => {
      if (space.direct) await coldDms.markWarm(`whatsapp:${space.externalId}`, now());
      await core.receive(inbound);
    });
  }

  /**
   * A group member's file, for the bridge: fetched when WhatsApp says it is within the limit
   * (`_data.size`), else only what it is, so the bridge announces it instead.
   */
  async function fetchMedia(msg: Parameters<typeof toInbound>[0]) {
    const size = typeof msg._data?.size === 'number' ? msg._data.size : undefined;
    if (!msg.hasMedia || !msg.downloadMedia || msg.from.endsWith('@c.us') || (size ?? 0) > mediaMaxBytes || mediaMaxBytes === 0) return size ? { size } : {};
    const media = await msg.downloadMedia().catch((error: unknown) => logger.warn({ err: error }, 'WhatsApp media not downloaded'));
    if (!media?.data) return {};
    const bytes = Math.floor((media.data.length * 3) / 4);
    if (bytes > mediaMaxBytes) return { size: bytes, mimetype: media.mimetype };
    return { mimetype: media.mimetype, data: media.data, size: bytes, ...(media.filename ? { filename: media.filename } : {}) };
  }

  async function onChange(event: ReturnType<typeof toMessageChange>) {
    if (event) await retry.hand({ kind: event.kind, id: event.externalEventId, chat: event.space.externalId }, () => core.receiveEvent(event));
  }

  async function onNotification(kind: 'join' | 'leave', n: Parameters<typeof notificationToEvent>[1]) {
    let event: ReturnType<typeof notificationToEvent>;
    try {
      const names = new Map<string, string>();
      if (kind === 'join' && n.getRecipients) {
        const contacts = await n.getRecipients().catch(() => []);
        for (const contact of contacts) {
          const id = serialized(contact.id);
          if (id && contact.pushname) names.set(id, contact.pushname);
        }
      }
      event = notificationToEvent(kind, n, me(), names);
    } catch (error) {
      logger.error({ err: error, eventId: n.id?._serialized }, `WhatsApp group_${kind} not handled`);
      return;
    }
    if (event) await retry.hand({ kind: `group_${kind}`, id: event.externalEventId, chat: event.space.externalId }, () => core.receiveEvent(event));
  }

  async function onVote(vote: Parameters<typeof voteToInbound>[0]) {
    const labels = (id: string) => pollLabels.get(id);
    let found: InboundMessage | null;
    try {
      found = voteToInbound(vote, labels);
    } catch (error) {
      logger.error({ err: error }, 'WhatsApp poll vote not handled');
      return;
    }
    if (found?.action?.kind !== 'poll-vote') return;
    const { pollMessageId } = found.action;
    // The option names are looked up in the database when whatsapp-web.js had none, so that
    // look-up is part of what a retry repeats; the vote is mapped again with what it found.
    await retry.hand({ kind: 'poll vote', id: found.externalMessageId, chat: found.space.externalId }, async () => {
      if (!pollLabels.has(pollMessageId) && vote.selectedOptions.some((o) => o.name === undefined)) {
        const stored = await core.references.get(`whatsapp:poll:${pollMessageId}`);
        if (Array.isArray(stored?.options)) pollLabels.set(pollMessageId, stored.options as string[]);
      }
      await core.receive(voteToInbound(vote, labels)!);
    });
  }

  return {
    /** Registers the inbound listeners on a client; `live()` says whether it is still the current one. */
    listen(c: WhatsAppClient, live: () => boolean) {
      c.on('message', (msg) => {
        if (live()) void track(onMessage(msg));
      });
      c.on('group_join', (n) => {
        if (live()) void track(onNotification('join', n));
      });
      c.on('group_leave', (n) => {
        if (live()) void track(onNotification('leave', n));
      });
      c.on('vote_update', (vote) => {
        if (live()) void track(onVote(vote));
      });
      c.on('message_edit', (msg, newBody) => {
        if (live()) void track(onChange(toMessageChange('edit', msg, String(newBody))));
      });
      c.on('message_revoke_everyone', (msg, revoked) => {
        // `msg` is the message as it is now (revoked), `revoked` as it was, when WhatsApp Web still had it.
        if (live()) void track(onChange(toMessageChange('delete', { ...msg, author: msg.author ?? revoked?.author })));
      });
    },
  };
}
