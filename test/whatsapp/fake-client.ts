import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type {
  WaContent,
  WaGroupNotification,
  WaId,
  WaMessage,
  WaPollVote,
  WaSendOptions,
  WhatsAppClient,
} from '../../adapters/whatsapp/client.js';

const fixtures = fileURLToPath(new URL('../../adapters/whatsapp/fixtures/', import.meta.url));

/** A recorded payload from adapters/whatsapp/fixtures, with fields a test changes. */
export function fixture<T = Record<string, unknown>>(name: string, patch: Record<string, unknown> = {}): T {
  const data = JSON.parse(readFileSync(`${fixtures}${name}.json`, 'utf8')) as Record<string, unknown>;
  delete data._comment;
  return { ...data, ...patch } as T;
}

export const BOT = { _serialized: '31600000000@c.us', user: '31600000000', server: 'c.us' };
export const BOT_LID = '112233445566778@lid';

/** A message fixture with the methods a real Message has (getContact for the push name, getChat). */
export function message(name: string, patch: Record<string, unknown> = {}, chatName = 'Wijkzorg app-groep'): WaMessage {
  const data = fixture<WaMessage>(name, patch);
  return {
    ...data,
    getContact: async () => ({ pushname: data._data?.notifyName }),
    getChat: async () => ({ name: chatName }),
  };
}

/** A message with a new id in a chat, as another fixture's copy. */
let n = 0;
export function messageWith(
  name: string,
  fields: { body?: string; from?: string; author?: string; id?: string; notifyName?: string; quoted?: { id: string; body?: string } },
) {
  const base = fixture<WaMessage>(name);
  const from = fields.from ?? base.from;
  const author = fields.author ?? base.author;
  const id = fields.id ?? `3EB0TEST${++n}`;
  const serialized = `false_${from}_${id}${author && from.endsWith('@g.us') ? `_${author}` : ''}`;
  const msg = message(name, {
    id: { ...base.id, remote: from, id, _serialized: serialized },
    from,
    ...(author ? { author } : {}),
    ...(fields.body !== undefined ? { body: fields.body } : {}),
    _data: { ...base._data, notifyName: fields.notifyName ?? base._data?.notifyName },
  });
  return fields.quoted ? quoting(msg, fields.quoted) : msg;
}

/**
 * A reply quoting another message, as whatsapp-web.js shows one: `hasQuotedMsg`, and
 * `getQuotedMessage()` resolving to the quoted Message (here its id and body).
 */
export function quoting(msg: WaMessage, quoted: { id: string; body?: string }): WaMessage {
  const fromMe = quoted.id.startsWith('true_');
  return {
    ...msg,
    hasQuotedMsg: true,
    getQuotedMessage: async () => ({ id: { _serialized: quoted.id, fromMe, remote: msg.from }, body: quoted.body ?? '' }),
  };
}

export function notification(name: string, patch: Record<string, unknown> = {}): WaGroupNotification {
  const data = fixture<WaGroupNotification & { _recipientNames?: Record<string, string> }>(name, patch);
  const names = data._recipientNames ?? {};
  return {
    ...data,
    getRecipients: async () =>
      data.recipientIds.map((r) => {
        const id = typeof r === 'string' ? r : r._serialized;
        return { id: { _serialized: id }, pushname: names[id] };
      }),
  };
}

export function vote(pollId: string, options: string[], patch: Partial<WaPollVote> = {}): WaPollVote {
  const data = fixture<WaPollVote>('vote-update');
  const labels = ['Yes', 'No'];
  const id = { ...(data.parentMessage!.id as object), _serialized: pollId } as WaId;
  return {
    ...data,
    selectedOptions: options.map((name) => ({ name, localId: labels.indexOf(name) })),
    parentMessage: { ...data.parentMessage!, id },
    parentMsgKey: { ...(data.parentMsgKey as object), _serialized: pollId } as WaId,
    ...patch,
  };
}

export interface SentMessage {
  chatId: string;
  content: WaContent;
  options: WaSendOptions | undefined;
  /** The adapter's clock when sendMessage was called. */
  at: number;
  id: string;
}

/**
 * An EventEmitter with the shape of whatsapp-web.js's Client. `initialize` emits `ready` unless
 * told otherwise; sends are recorded with the time they were made.
 */
export class FakeWhatsAppClient extends EventEmitter implements WhatsAppClient {
  info: WhatsAppClient['info'] = null;
  initialized = 0;
  destroyed = 0;
  sent: SentMessage[] = [];
  /** What initialize does: emit ready (default), a QR code, nothing, or fail. */
  onInitialize: 'ready' | 'qr' | 'nothing' | Error = 'ready';
  sendFailures: Error[] = [];
  heapBytes = 50 * 1_048_576;
  pupPage = { metrics: async () => ({ JSHeapUsedSize: this.heapBytes }) };

  constructor(private readonly now: () => number) {
    super();
  }

  async initialize() {
    this.initialized++;
    const next = this.onInitialize;
    if (next instanceof Error) throw next;
    setImmediate(() => {
      if (next === 'qr') this.emit('qr', '2@fakeQrRef,staticKey,identityKey,advSecret,platform');
      if (next === 'ready') this.becomeReady();
    });
  }

  becomeReady() {
    this.info = { wid: BOT, pushname: 'Samen' };
    this.emit('authenticated');
    this.emit('ready');
  }

  async destroy() {
    this.destroyed++;
  }

  async sendMessage(chatId: string, content: WaContent, options?: WaSendOptions) {
    const failure = this.sendFailures.shift();
    if (failure) throw failure;
    const id = `true_${chatId}_3EB0SENT${this.sent.length + 1}`;
    this.sent.push({ chatId, content, options, at: this.now(), id });
    return { id: { _serialized: id } };
  }

  async requestPairingCode(phoneNumber: string) {
    return phoneNumber ? 'ABCD1234' : '';
  }

  async getState() {
    return this.info ? 'CONNECTED' : null;
  }

  async getContactLidAndPhone(ids: string[]) {
    return ids.map((pn) => ({ pn, lid: BOT_LID }));
  }

  /** Texts sent to one chat (a poll counts as its question). */
  textsTo(chatId: string): string[] {
    return this.sent
      .filter((s) => s.chatId === chatId)
      .map((s) => (typeof s.content === 'string' ? s.content : 'pollName' in s.content ? `poll: ${s.content.pollName}` : `media: ${s.content.mimetype} ${s.options?.caption ?? ''}`.trim()));
  }

  /** Edits and deletions of sent messages, in order (the bridge's changes). */
  changes: { id: string; kind: 'edit' | 'delete'; text?: string; everyone?: boolean }[] = [];

  async getMessageById(id: string) {
    if (!this.sent.some((s) => s.id === id)) return null;
    return {
      edit: async (text: string) => void this.changes.push({ id, kind: 'edit', text }),
      delete: async (everyone?: boolean) => void this.changes.push({ id, kind: 'delete', everyone }),
    };
  }
}
