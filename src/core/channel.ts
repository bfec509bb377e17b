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
  /**
   * The message this one answers, where the platform says so: the quoted message of a WhatsApp
   * reply, the root post of the Teams channel thread it was written in. `externalMessageId` is
   * the platform id the way the outbox keeps it for messages the bot sent (a question, a poll)
   * and `inbound_messages` for messages members sent; `text` is the start of the quoted text
   * when the platform gave it.
   */
  inReplyTo?: { externalMessageId: string; text?: string };
  /**
   * A structured action instead of typed text: a card button (Teams `Action.Submit` or an
   * `adaptiveCard/action` invoke) carries the command it stands for; a native poll vote
   * (WhatsApp `vote_update`) names the poll message and the options now chosen, and the core
   * runs the command the chosen option was sent with. `text` is ignored when this is set.
   */
  action?: InboundAction;
  /**
   * A photo, document, video or voice message that came with the message (`text` is its
   * caption). `data` is set when the adapter fetched the bytes (within its size limit).
   */
  media?: InboundMedia;
}

/** A file a member sent, as the bridge may carry it to other spaces. */
export interface InboundMedia {
  kind: MediaKind;
  mimetype?: string;
  filename?: string;
  /** Bytes, when known. */
  size?: number;
  /** The content, base64; absent when too large or not fetched. */
  data?: string;
}

export type MediaKind = 'photo' | 'document' | 'video' | 'audio' | 'other';

export type InboundAction =
  | { kind: 'command'; command: string }
  | { kind: 'poll-vote'; pollMessageId: string; options: string[] };

/** Something that happened in a conversation other than a message. */
export type ChannelEvent =
  | {
      /** People joined a group (WhatsApp `group_join`, Teams `membersAdded`): welcome them. */
      kind: 'members-joined';
      channel: ChannelName;
      /** Unique per event: the same id twice has one effect. */
      externalEventId: string;
      space: { externalId: string; name?: string };
      members: { externalId: string; displayName?: string }[];
      replyAddress?: string;
      locale?: Language;
    }
  | {
      /** People left or were removed (WhatsApp `group_leave`, Teams `membersRemoved`). */
      kind: 'members-left';
      channel: ChannelName;
      externalEventId: string;
      space: { externalId: string };
      members: { externalId: string }[];
    }
  | {
      /** The bot was added to a group or chat: greet it, and say how a manager links it. */
      kind: 'bot-added';
      channel: ChannelName;
      externalEventId: string;
      space: { externalId: string; name?: string; direct: boolean };
      replyAddress?: string;
      locale?: Language;
    }
  | {
      /**
       * A member changed the text of a message they sent (WhatsApp `message_edit`, Teams
       * `messageUpdate`): where the bridge relayed it, the copies change too.
       */
      kind: 'message-edited';
      channel: ChannelName;
      externalEventId: string;
      space: { externalId: string };
      sender: { externalId: string };
      /** The platform id of the message that changed. */
      externalMessageId: string;
      text: string;
    }
  | {
      /** A member deleted a message for everyone (WhatsApp `message_revoke_everyone`, Teams `messageDelete`). */
      kind: 'message-deleted';
      channel: ChannelName;
      externalEventId: string;
      space: { externalId: string };
      sender: { externalId: string };
      externalMessageId: string;
    }
  | {
      /**
       * The bot was removed from a conversation (Teams: the app uninstalled there): its
       * reference is dropped and what waits to be sent there is parked, failed with a reason.
       */
      kind: 'bot-removed';
      channel: ChannelName;
      externalEventId: string;
      space: { externalId: string };
    };

/** What the core made of a channel event. */
export interface ChannelEventResult {
  status: 'processed' | 'duplicate' | 'ignored';
  reason?: 'unlinked-space';
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
  /** Always set: the whole message as text, for channels that show nothing richer. */
  text: string;
  /** The platform id of the message this answers (a quoted reply on WhatsApp). */
  replyTo?: string;
  /**
   * Not a new message but a change to one the bot sent before, named by its platform id (the
   * outbox row's external id): `edit` replaces its text with `text`, `delete` removes it for
   * everyone. Channels that cannot (`capabilities.edits` false) fail it as not retryable.
   */
  operation?: { kind: 'edit' | 'delete'; target: string };
  /** A photo or document to send, `text` being its caption (see ChannelCapabilities.media). */
  media?: OutboundMedia;
  /** Buttons, each standing for a command (Teams: an Adaptive Card; elsewhere `text` says what to type). */
  actions?: OutboundAction[];
  /** A poll (WhatsApp: a native poll; Teams: a card with a button per option). */
  poll?: {
    question: string;
    options: OutboundAction[];
    multiple?: boolean;
    /**
     * For a native poll, where a vote is the whole selection at once: the command a vote runs,
     * followed by the chosen options' numbers (1-based), or `0` when nothing is chosen any more.
     * Without it, a vote runs the first chosen option's own command.
     */
    command?: string;
  };
}

/** A file for an adapter to send: its bytes in base64. */
export interface OutboundMedia {
  kind: MediaKind;
  mimetype: string;
  filename?: string;
  data: string;
}

/** A choice offered to a member: its label, and the command choosing it runs as them. */
export interface OutboundAction {
  label: string;
  command: string;
}

/** What a channel can show, so the core asks rather than assumes. */
export interface ChannelCapabilities {
  /** Longest text one message may carry. */
  maxTextLength: number;
  /** Adaptive Cards (Teams). */
  cards: boolean;
  /** Native polls (WhatsApp). */
  nativePolls: boolean;
  /** Messages the bot sent can be edited and deleted (OutboundMessage.operation). */
  edits?: boolean;
  /** The media kinds it can send (OutboundMessage.media), and how large at most. */
  media?: { kinds: MediaKind[]; maxBytes: number };
}

/** The port every channel adapter implements. */
export interface ChannelPort {
  readonly channel: ChannelName;
  readonly capabilities: ChannelCapabilities;
  /**
   * Sends one message; throws ChannelSendError on a failure the platform reported. The
   * returned externalId is kept on the outbox row (a poll's votes are matched to it).
   */
  send(message: OutboundMessage): Promise<{ externalId?: string }>;
  /**
   * Where a reply to the message `rootExternalId` at `address` goes, on a channel that shows
   * replies as threads (a Teams channel): the thread's address, or the address itself when it
   * is a thread already. Null where there are no threads (a Teams group chat). Channels without
   * this method show replies as quotes (OutboundMessage.replyTo).
   */
  threadAddress?(address: string, rootExternalId: string): string | null;
  /** How the connection stands, for `GET /v1/channels/:channel`. */
  status?(): ChannelStatus;
  /** Links a phone by a code typed on it instead of scanning a QR code (WhatsApp). */
  requestPairingCode?(phoneNumber: string): Promise<string>;
}

/** A channel's connection as admins see it. */
export interface ChannelStatus {
  /** e.g. off, starting, qr, authenticated, ready, disconnected (WhatsApp); ready, local (Teams). */
  state: string;
  /** Since when (ISO time). */
  since: string;
  /** A sentence for the admin: what is wrong, or what to do next. */
  detail?: string;
  /** The linked account (WhatsApp: the phone number; Teams: the app id). */
  account?: string;
  /** A QR code's text to scan, while `state` is `qr`. */
  qr?: string;
}

/**
 * What an adapter must remember about a conversation to write to it later (a Teams
 * conversation reference: service URL, conversation id, tenant). Opaque to the core; kept in the
 * database so a restart or another instance can still send.
 */
export interface ConversationReferences {
  get(address: string): Promise<Record<string, unknown> | null>;
  /** Saves (or replaces) the reference for an address. */
  put(address: string, channel: ChannelName, reference: Record<string, unknown>): Promise<void>;
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

/**
 * Not a failure: the adapter did not try, because its own pacing says not yet (WhatsApp's
 * global pace, a chat's minimum interval, the daily cap). The row goes back to wait
 * `retryAfterMs` without using up an attempt, and still holds back later rows to its address.
 */
export class ChannelDeferral extends ChannelSendError {
  constructor(message: string, retryAfterMs: number) {
    super(message, true, retryAfterMs);
    this.name = 'ChannelDeferral';
  }
}

/** The address of a conversation: an opaque `<channel>:<id>` string. */
export const addressOf = (channel: ChannelName, externalId: string) => `${channel}:${externalId}`;
