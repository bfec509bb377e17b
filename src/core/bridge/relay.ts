import { and, asc, eq, ne, or } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import {
  bridgeCopies,
  bridgeMessages,
  bridgeOptOuts,
  bridgePairs,
  bridges,
  organisations,
  outbox,
  spaces,
  type Bridge,
  type BridgeMessage,
  type Community,
  type Member,
  type OutboxPayload,
  type Space,
} from '../../db/schema/index.js';
import { addressOf, type ChannelName, type ChannelPort, type InboundMedia } from '../channel.js';
import { t } from '../i18n/index.js';
import type { HeardMessage, MessageListener } from '../inbound/inbound.service.js';

/** The channel ports, for what only they know: whether and how a channel threads replies. */
export type PortOf = (channel: ChannelName) => ChannelPort | undefined;

export interface RelayOptions {
  /** Largest photo or document the bridge carries, in bytes; larger ones are announced instead. */
  mediaMaxBytes: number;
}

/** Longest excerpt kept of a relayed message, to quote where a reply cannot be threaded. */
export const EXCERPT_MAX = 200;

/** The bridge settings of a community, if it has a bridge that is on and not paused. */
export async function liveBridge(tx: Tx, communityId: string): Promise<Bridge | null> {
  const [row] = await tx.select().from(bridges).where(eq(bridges.communityId, communityId));
  return row && row.enabled && !row.pausedAt ? row : null;
}

/** The spaces a message written in `source` goes to: all others, or those paired with it. */
export async function targetsOf(tx: Tx, bridge: Bridge, source: Space): Promise<Space[]> {
  if (bridge.scope === 'all') {
    return tx
      .select()
      .from(spaces)
      .where(and(eq(spaces.communityId, source.communityId), ne(spaces.id, source.id)))
      .orderBy(asc(spaces.createdAt));
  }
  const rows = await tx
    .select({ space: spaces })
    .from(bridgePairs)
    .innerJoin(spaces, or(eq(spaces.id, bridgePairs.spaceAId), eq(spaces.id, bridgePairs.spaceBId)))
    .where(and(or(eq(bridgePairs.spaceAId, source.id), eq(bridgePairs.spaceBId, source.id)), ne(spaces.id, source.id)))
    .orderBy(asc(spaces.createdAt));
  return rows.map((r) => r.space);
}

/** The first non-empty line of a text, at most EXCERPT_MAX characters. */
export function excerptOf(text: string): string {
  return (text.split('\n').find((l) => l.trim() !== '')?.trim() ?? '').slice(0, EXCERPT_MAX);
}

/** Names are shown in bold between asterisks: one inside would break the bold. */
const plainName = (name: string) => name.replace(/\*/g, '').trim();

/** "*Anna (Gemeente Utrecht)*: …" — the member's name and organisation, never a phone number. */
export async function attribution(tx: Tx, member: Member): Promise<{ name: string; organisation: string | null }> {
  if (!member.organisationId) return { name: plainName(member.displayName), organisation: null };
  const [org] = await tx.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, member.organisationId));
  return { name: plainName(member.displayName), organisation: org ? plainName(org.name) : null };
}

export function attributed(language: Community['language'], who: { name: string; organisation: string | null }, text: string): string {
  return who.organisation
    ? t(language, 'bridge.relay.org', { name: who.name, organisation: who.organisation, text })
    : t(language, 'bridge.relay', { name: who.name, text });
}

/**
 * The bridge message a platform id belongs to: an original the bridge relayed, or one of the
 * copies it sent (by the outbox row's external id).
 */
export async function findBridged(tx: Tx, channel: ChannelName, externalId: string): Promise<BridgeMessage | null> {
  const [original] = await tx
    .select()
    .from(bridgeMessages)
    .where(and(eq(bridgeMessages.channel, channel), eq(bridgeMessages.externalId, externalId)));
  if (original) return original;
  const [copy] = await tx
    .select({ message: bridgeMessages })
    .from(outbox)
    .innerJoin(bridgeCopies, eq(bridgeCopies.outboxKey, outbox.idempotencyKey))
    .innerJoin(bridgeMessages, eq(bridgeMessages.id, bridgeCopies.bridgeMessageId))
    .where(and(eq(outbox.channel, channel), eq(outbox.externalId, externalId)));
  return copy?.message ?? null;
}

/** Where a bridge message lives in each space: the original's place, and each delivered copy's. */
export async function placesOf(tx: Tx, message: BridgeMessage) {
  const copies = await tx
    .select({ spaceId: bridgeCopies.spaceId, channel: outbox.channel, address: outbox.address, externalId: outbox.externalId, status: outbox.status, outboxId: outbox.id, payload: outbox.payload })
    .from(bridgeCopies)
    .innerJoin(outbox, eq(outbox.idempotencyKey, bridgeCopies.outboxKey))
    .where(eq(bridgeCopies.bridgeMessageId, message.id));
  const places = new Map<string, { channel: ChannelName; address: string; externalId: string | null; status: string; outboxId?: string; payload?: OutboxPayload }>();
  places.set(message.spaceId, { channel: message.channel, address: message.address, externalId: message.externalId, status: 'delivered' });
  for (const c of copies) places.set(c.spaceId, c);
  return places;
}

/** Is this platform id one of the bot's own sends? Adapters drop those; this makes sure. */
async function sentByUs(tx: Tx, channel: ChannelName, externalId: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: outbox.id })
    .from(outbox)
    .where(and(eq(outbox.channel, channel), eq(outbox.externalId, externalId)))
    .limit(1);
  return row !== undefined;
}

/** What a file that cannot be carried is announced as, in the target's language. */
export function mediaNotice(language: Community['language'], media: InboundMedia, name: string, from: ChannelName): string {
  const key = media.kind === 'photo' ? 'bridge.media.photo' : media.kind === 'document' ? 'bridge.media.document' : media.kind === 'video' ? 'bridge.media.video' : media.kind === 'audio' ? 'bridge.media.audio' : 'bridge.media.other';
  return t(language, key, { name, channel: t(language, `bridge.channel.${from}`) });
}

/**
 * The bridge as a listener of ordinary messages: a message written in a bridged space is queued
 * (in the batch's transaction, through the outbox) to every other space it is bridged to,
 * attributed. Commands never get here, nor do the bot's own messages (adapters drop them, and
 * their platform ids are checked against the outbox). A reply to a relayed message is threaded
 * (Teams) or quoted (WhatsApp) under that message's copy in each space; where that cannot be
 * done, the relayed text starts with the first line of what it answers.
 */
export function createBridgeListener(portOf: PortOf, options: RelayOptions): MessageListener {
  return async (tx, heard) => {
    const { message, space, member, community } = heard;
    if (!space || message.action) return;
    if (!message.text.trim() && !message.media) return;
    const bridge = await liveBridge(tx, community.id);
    if (!bridge) return;
    const [optedOut] = await tx.select({ id: bridgeOptOuts.memberId }).from(bridgeOptOuts).where(eq(bridgeOptOuts.memberId, member.id));
    if (optedOut) return;
    if (await sentByUs(tx, message.channel, message.externalMessageId)) return;
    const targets = await targetsOf(tx, bridge, space);
    if (targets.length === 0) return;

    const answered = message.inReplyTo ? await findBridged(tx, message.channel, message.inReplyTo.externalMessageId) : null;
    const places = answered ? await placesOf(tx, answered) : null;
    const quote = answered?.excerpt || message.inReplyTo?.text;
    const who = await attribution(tx, member);
    const language = community.language;

    const [row] = await tx
      .insert(bridgeMessages)
      .values({
        communityId: community.id,
        spaceId: space.id,
        memberId: member.id,
        channel: message.channel,
        externalId: message.externalMessageId,
        address: message.replyAddress ?? addressOf(message.channel, message.space.externalId),
        excerpt: excerptOf(message.text) || (message.media ? mediaNotice(language, message.media, who.name, message.channel) : ''),
        mediaKind: message.media?.kind ?? null,
        createdAt: heard.now,
        updatedAt: heard.now,
      })
      .returning({ id: bridgeMessages.id });

    const copies: { bridgeMessageId: string; spaceId: string; outboxKey: string }[] = [];
    for (const target of targets) {
      const port = portOf(target.channel);
      let address = addressOf(target.channel, target.externalId);
      let replyTo: string | undefined;
      let threaded = false;
      const place = places?.get(target.id);
      if (place?.externalId) {
        if (port?.threadAddress) {
          const thread = port.threadAddress(place.address, place.externalId);
          if (thread) [address, threaded] = [thread, true];
        } else {
          [address, replyTo, threaded] = [place.address, place.externalId, true];
        }
      }
      const lines: string[] = [];
      if (!threaded && quote) lines.push(t(language, 'bridge.quote', { text: quote }));
      const payload: OutboxPayload = { text: '' };
      if (message.media) {
        const media = carried(message.media, port, options);
        if (media) payload.media = media;
        else lines.push(mediaNotice(language, message.media, who.name, message.channel));
      }
      if (message.text.trim()) lines.push(attributed(language, who, message.text));
      else if (payload.media) lines.push(attributed(language, who, '').trimEnd());
      payload.text = lines.join('\n');
      if (replyTo) payload.replyTo = replyTo;
      const key = `bridge:${row!.id}:${target.id}`;
      heard.queue({ communityId: community.id, channel: target.channel, address, spaceId: target.id, memberId: null, payload, idempotencyKey: key, availableAt: heard.now });
      copies.push({ bridgeMessageId: row!.id, spaceId: target.id, outboxKey: key });
    }
    await tx.insert(bridgeCopies).values(copies);
    return 'bridged';
  };
}

/** The file as the target channel can take it, or null when it cannot (kind, size, or no bytes). */
function carried(media: InboundMedia, port: ChannelPort | undefined, options: RelayOptions): OutboxPayload['media'] | null {
  if (!media.data || !media.mimetype) return null;
  const size = media.size ?? Math.floor((media.data.length * 3) / 4);
  const can = port?.capabilities.media;
  if (!can || !can.kinds.includes(media.kind) || size > Math.min(can.maxBytes, options.mediaMaxBytes)) return null;
  return { kind: media.kind, mimetype: media.mimetype, data: media.data, ...(media.filename ? { filename: media.filename } : {}) };
}

export type { HeardMessage };
