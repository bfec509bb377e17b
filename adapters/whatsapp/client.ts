import { mkdirSync } from 'node:fs';
import path from 'node:path';
// whatsapp-web.js is CommonJS: a named ESM import fails on Node 20, so its default is used.
// It is loaded only when WhatsApp is on: with puppeteer it takes seconds to import.
import type wwebjs from 'whatsapp-web.js';
import type { WhatsAppConfig } from './config.js';

type Library = typeof wwebjs;
let library: Promise<Library> | null = null;
const load = () => (library ??= import('whatsapp-web.js').then((m) => (m.default ?? m) as Library));

/** A WhatsApp id as whatsapp-web.js serialises it (`…@c.us`, `…@g.us`, `…@lid`). */
export interface WaId {
  _serialized: string;
  user?: string;
  server?: string;
}

/** A message key: `fromMe`, the chat (`remote`), and the whole id serialised. */
export interface WaMessageId extends WaId {
  fromMe?: boolean;
  remote?: string | WaId;
  id?: string;
}

/** The part of a whatsapp-web.js `Message` the adapter reads. */
export interface WaMessage {
  id: WaMessageId;
  body: string;
  type: string;
  from: string;
  to?: string;
  author?: string;
  fromMe?: boolean;
  isStatus?: boolean;
  broadcast?: boolean;
  timestamp?: number;
  mentionedIds?: (string | WaId)[];
  /** The raw WhatsApp Web model; `notifyName` is the sender's push name. */
  _data?: { notifyName?: string; [key: string]: unknown };
  getContact?(): Promise<{ pushname?: string }>;
  getChat?(): Promise<{ name?: string }>;
  /** Set when the message is a reply quoting another. */
  hasQuotedMsg?: boolean;
  /** The quoted message, when WhatsApp Web still has it. */
  getQuotedMessage?(): Promise<{ id: WaMessageId; body?: string } | undefined>;
  /** A photo, document, video or voice message (`body` is then its caption). */
  hasMedia?: boolean;
  /** The file's bytes (base64) and type; fetched from WhatsApp's servers when asked. */
  downloadMedia?(): Promise<WaMedia | undefined>;
}

/** A file as whatsapp-web.js's `MessageMedia` carries it. */
export interface WaMedia {
  mimetype: string;
  data: string;
  filename?: string | null;
  filesize?: number | null;
}

/** A message the bot sent, as `getMessageById` returns it: what the bridge changes. */
export interface WaSentMessage {
  edit(content: string): Promise<unknown>;
  delete(everyone?: boolean): Promise<void>;
}

/** The part of a whatsapp-web.js `GroupNotification` (group_join, group_leave) the adapter reads. */
export interface WaGroupNotification {
  id: WaMessageId;
  /** add, invite, linked_group_join, remove, leave */
  type: string;
  chatId: string;
  author?: string;
  recipientIds: (string | WaId)[];
  timestamp?: number;
  getRecipients?(): Promise<{ id?: WaId; pushname?: string }[]>;
}

/** The part of a whatsapp-web.js `PollVote` (vote_update) the adapter reads. */
export interface WaPollVote {
  voter: string;
  selectedOptions: { name?: string; localId: number }[];
  interractedAtTs: number;
  parentMessage?: { id?: WaMessageId; from?: string; to?: string } | null;
  parentMsgKey?: WaMessageId | null;
}

/** Options of `sendMessage` the adapter passes. */
export interface WaSendOptions {
  quotedMessageId?: string;
  /** The text under a photo or document. */
  caption?: string;
}

/** What may be sent: text, a native poll built by `createPoll`, or a file built by `createMedia`. */
export type WaContent = string | InstanceType<Library['Poll']> | InstanceType<Library['MessageMedia']>;

/** The events the adapter listens to, with their payloads. */
export interface WaEvents {
  qr: (qr: string) => void;
  code: (code: string) => void;
  authenticated: (...args: unknown[]) => void;
  auth_failure: (message: string) => void;
  ready: () => void;
  message: (message: WaMessage) => void;
  group_join: (notification: WaGroupNotification) => void;
  group_leave: (notification: WaGroupNotification) => void;
  vote_update: (vote: WaPollVote) => void;
  message_edit: (message: WaMessage, newBody: string, prevBody: string) => void;
  message_revoke_everyone: (message: WaMessage, revoked?: WaMessage | null) => void;
  disconnected: (reason: string) => void;
  change_state: (state: string) => void;
}

/**
 * The subset of whatsapp-web.js's `Client` the adapter uses. The real client is created by
 * `createWhatsAppClient`; tests pass an EventEmitter of the same shape.
 */
export interface WhatsAppClient {
  on<E extends keyof WaEvents>(event: E, listener: WaEvents[E]): unknown;
  removeAllListeners(event?: string): unknown;
  initialize(): Promise<void>;
  destroy(): Promise<void>;
  sendMessage(chatId: string, content: WaContent, options?: WaSendOptions): Promise<{ id: WaId }>;
  requestPairingCode(phoneNumber: string, showNotification?: boolean): Promise<string>;
  getState(): Promise<string | null>;
  /** A message by its serialised id (the bridge edits and deletes its copies through it). */
  getMessageById?(messageId: string): Promise<WaSentMessage | null | undefined>;
  /** Our own hidden-number (@lid) id: groups that hide numbers @mention the bot by it. */
  getContactLidAndPhone?(userIds: string[]): Promise<{ lid?: string; pn?: string }[]>;
  /** Set once ready: `wid` is the linked account. */
  info?: { wid?: WaId; pushname?: string } | null;
  /** The page running WhatsApp Web, for its memory use; absent until the browser runs. */
  pupPage?: { metrics(): Promise<{ JSHeapUsedSize?: number }> } | null;
}

// Compile-time check: the real Client fits the interface the adapter is written against.
type Assert<T extends true> = T;
export type RealClientFits = Assert<InstanceType<Library['Client']> extends WhatsAppClient ? true : false>;

/** A native WhatsApp poll (options are trimmed by whatsapp-web.js; votes come back by name). */
export async function createPoll(question: string, options: string[], multiple: boolean): Promise<WaContent> {
  const { Poll } = await load();
  return new Poll(question, options, { allowMultipleAnswers: multiple, messageSecret: undefined });
}

/** A file to send (a photo, a document), base64. */
export async function createMedia(mimetype: string, data: string, filename?: string): Promise<WaContent> {
  const { MessageMedia } = await load();
  return new MessageMedia(mimetype, data, filename ?? null);
}

/** The real client: the system Chromium, headless, the session under `<dataDir>/whatsapp`. */
export async function createWhatsAppClient(config: WhatsAppConfig, dataDir: string): Promise<WhatsAppClient> {
  const { Client, LocalAuth } = await load();
  const root = path.resolve(dataDir, 'whatsapp');
  mkdirSync(root, { recursive: true });
  return new Client({
    authStrategy: new LocalAuth({ dataPath: path.join(root, 'session') }),
    // The default web-version cache writes .wwebjs_cache/ into the working directory.
    webVersionCache: { type: 'local', path: path.join(root, 'web-cache') },
    puppeteer: {
      executablePath: config.chromiumPath ?? undefined,
      headless: true,
      // --no-sandbox: containers rarely allow Chromium's user namespaces;
      // --disable-dev-shm-usage: Docker's /dev/shm is 64 MB, too small for WhatsApp Web.
      args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
    },
  });
}
