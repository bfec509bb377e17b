import type { ChannelName, Language } from '../db/schema/index.js';

export { CHANNELS, type ChannelName } from '../db/schema/index.js';

/** One message as an adapter hands it to the core, stripped of platform detail. */
export interface InboundMessage {
  channel: ChannelName;
  /** The platform's message id: the same id delivered twice has one effect. */
  externalMessageId: string;
  /** The conversation: a group, channel, or the direct chat with the bot. */
  space: { externalId: string; name?: string; direct: boolean };
  sender: { externalId: string; displayName?: string };
  text: string;
  /** The adapter saw the bot addressed (an @mention). Direct chats count as addressed anyway. */
  mentioned?: boolean;
  /** Where replies go, if not `<channel>:<space externalId>` (e.g. a Teams thread). */
  replyAddress?: string;
  /** The platform's language hint for someone the core does not know yet. */
  locale?: Language;
}

/** What the core made of an inbound message. */
export interface InboundResult {
  status: 'processed' | 'duplicate' | 'ignored';
  reason?: 'unlinked-space' | 'unknown-member' | 'empty';
  communityId?: string;
  memberId?: string;
  command?: string;
}

/** The core's entry point for adapters. */
export type InboundHandler = (message: InboundMessage) => Promise<InboundResult>;

/** A message the dispatcher asks an adapter to send. */
export interface OutboundMessage {
  /** Outbox row id; also the idempotency key the adapter may pass to the platform. */
  id: string;
  address: string;
  text: string;
}

/** What a channel can show, so the core asks rather than assumes. */
export interface ChannelCapabilities {
  /** Longest text one message may carry. */
  maxTextLength: number;
  /** Adaptive Cards (Teams). */
  cards: boolean;
  /** Native polls (WhatsApp). */
  nativePolls: boolean;
}

/** The port every channel adapter implements. */
export interface ChannelPort {
  readonly channel: ChannelName;
  readonly capabilities: ChannelCapabilities;
  /** Sends one message; throws ChannelSendError on a failure the platform reported. */
  send(message: OutboundMessage): Promise<{ externalId?: string }>;
}

/** A failed send. `retryable` failures are tried again later with back-off. */
export class ChannelSendError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    /** The platform asked us to wait this long (e.g. Retry-After). */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ChannelSendError';
  }
}

/** The address of a conversation: an opaque `<channel>:<id>` string. */
export const addressOf = (channel: ChannelName, externalId: string) => `${channel}:${externalId}`;
