import type { Logger } from 'pino';
import type { AdapterCore, ChannelAdapter } from '../../src/adapter.js';
import {
  ChannelDeferral,
  ChannelSendError,
  type ChannelPort,
  type ChannelStatus,
  type MediaKind,
  type OutboundMessage,
} from '../../src/core/channel.js';
import { createMedia, createPoll, createWhatsAppClient, type WaContent, type WhatsAppClient } from './client.js';
import { createColdDmCap } from './cold-dm-cap.js';
import type { WhatsAppConfig } from './config.js';
import { isQuoteError, toSendError } from './errors.js';
import { createPacer } from './pacer.js';
import {
  chatIdOf,
  isGroup,
  isPerson,
  looksLikeLinkCommand,
  notificationToEvent,
  safeDisplayName,
  serialized,
  quotedReference,
  toInbound,
  toMessageChange,
  voteToInbound,
  type Me,
} from './whatsapp.mapper.js';

export { loadWhatsAppConfig, type WhatsAppConfig } from './config.js';
export type { WhatsAppClient } from './client.js';

/** The connection as admins see it in `GET /v1/channels/whatsapp`. */
export type WhatsAppState = 'off' | 'starting' | 'qr' | 'authenticated' | 'ready' | 'disconnected';

/** Timers the adapter uses; tests pass virtual ones. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** A send waiting for its pace slot (default: setTimeout). */
  sleep?(ms: number): Promise<void>;
}

export interface WhatsAppAdapterDeps {
  config: WhatsAppConfig;
  /** Sessions are kept under `<dataDir>/whatsapp`. */
  dataDir: string;
  core: AdapterCore;
  logger: Logger;
  /** Makes the whatsapp-web.js client; tests pass a fake of the same shape. */
  createClient?: () => WhatsAppClient | Promise<WhatsAppClient>;
  /** The time in ms (default Date.now). */
  clock?: () => number;
  timers?: Timers;
  random?: () => number;
  /** Where the QR code is drawn for whoever watches the terminal (default stderr; logs stay on stdout). */
  terminal?: { write(text: string): unknown } | null;
  /** Largest file fetched for the bridge to carry (BRIDGE_MEDIA_MAX_MB); larger ones are announced. Default 5 MB. */
  mediaMaxBytes?: number;
}

/** The adapter, with the optional port methods it has, and a way to wait for inbound work. */
export interface WhatsAppAdapter extends ChannelAdapter {
  port: ChannelPort & Required<Pick<ChannelPort, 'status' | 'requestPairingCode'>>;
  /** Resolves when the messages and events received so far are handed to the core (and sends under way are done). */
  idle(): Promise<void>;
}

/** whatsapp-web.js `change_state` values after which the session is gone or taken; `disconnected` does not always follow. */
const BAD_STATES = new Set([
  'CONFLICT',
  'UNPAIRED',
  'UNPAIRED_IDLE',
  'UNLAUNCHED',
  'TOS_BLOCK',
  'SMB_TOS_BLOCK',
  'PROXYBLOCK',
  'DEPRECATED_VERSION',
]);

/** A send waits up to this long for its pace slot; beyond, it is deferred (the dispatcher times a send out at 30 s). */
const MAX_SEND_WAIT_MS = 5_000;
/** How soon to try a message again while WhatsApp is not connected. */
const NOT_READY_RETRY_MS = 15_000;
const RECONNECT_BASE_MS = 5_000;
const RECONNECT_MAX_MS = 5 * 60_000;
const RECYCLE_CHECK_MS = 5 * 60_000;
/** How long a dying client may take to finish starting before it is destroyed again. */
const TEARDOWN_WAIT_MS = 30_000;
/** WhatsApp's own limits: 12 options per poll; option names must differ. */
const MAX_POLL_OPTIONS = 12;
/** Files WhatsApp takes from us: photos up to 16 MB, documents up to 100 MB (the bridge's own limit is lower). */
const MAX_SEND_MEDIA = 16 * 1_048_576;

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * The WhatsApp channel: one whatsapp-web.js client (a linked device of one phone number) kept
 * connected, inbound messages, joins, leaves and poll votes handed to the core, outbound
 * messages paced so the number does not look like a bot.
 */
export function createWhatsAppAdapter(deps: WhatsAppAdapterDeps): WhatsAppAdapter {
  const { config, core, logger } = deps;
  const createClient = deps.createClient ?? (() => createWhatsAppClient(config, deps.dataDir));
  const now = deps.clock ?? Date.now;
  const timers = deps.timers ?? realTimers;
  const random = deps.random ?? Math.random;
  const terminal = deps.terminal === undefined ? process.stderr : deps.terminal;
  const mediaMaxBytes = deps.mediaMaxBytes ?? 5 * 1_048_576;
  const sleep = (ms: number) => (timers.sleep ? timers.sleep(ms) : new Promise<void>((resolve) => timers.setTimeout(resolve, ms)));

  const pacer = createPacer({
    paceMs: config.paceMs,
    jitterMs: config.jitterMs,
    chatIntervalMs: config.chatIntervalMs,
    maxWaitMs: MAX_SEND_WAIT_MS,
    random,
  });
  const coldDms = createColdDmCap(core.references, config.coldDmDailyCap);

  let status: ChannelStatus & { state: WhatsAppState } = { state: 'off', since: new Date(now()).toISOString() };
  let client: WhatsAppClient | null = null;
  let initializing: Promise<void> = Promise.resolve();
  /** Bumped for every client; handlers of an older one see they are stale and do nothing. */
  let generation = 0;
  let stopped = true;
  let reconnects = 0;
  let readyAt = 0;
  let lastQr: string | null = null;
  let me: Me = { ids: [] };
  const pending = { ready: null as unknown, reconnect: null as unknown, recycle: null as unknown };
  /** Inbound handling and sends under way: stop and recycle wait for them. */
  const busy = new Set<Promise<unknown>>();

  function track<T>(promise: Promise<T>): Promise<T> {
    busy.add(promise);
    void promise.finally(() => busy.delete(promise)).catch(() => {});
    return promise;
  }

  function setState(state: WhatsAppState, detail?: string, extra: Pick<ChannelStatus, 'qr' | 'account'> = {}) {
    const changed = state !== status.state || detail !== status.detail;
    status = { state, since: changed ? new Date(now()).toISOString() : status.since, ...(detail ? { detail } : {}), ...extra };
    if (changed) logger.info({ state, detail }, `WhatsApp ${state}`);
  }

  function clearTimer(name: keyof typeof pending) {
    if (pending[name] !== null) timers.clearTimeout(pending[name]);
    pending[name] = null;
  }

  function armReadyTimer(gen: number) {
    clearTimer('ready');
    pending.ready = timers.setTimeout(() => {
      pending.ready = null;
      void restart(gen, `WhatsApp Web was not ready within ${Math.round(config.readyTimeoutMs / 1000)} s; restarting it`);
    }, config.readyTimeoutMs);
  }

  /** Starts a new client in the background; start() and reconnects call it. */
  function connect(detail = 'starting the browser and WhatsApp Web') {
    pending.reconnect = null;
    if (stopped) return;
    const gen = ++generation;
    setState('starting', detail);
    initializing = (async () => {
      let c: WhatsAppClient;
      try {
        c = await createClient();
      } catch (error) {
        if (gen !== generation || stopped) return;
        setState('disconnected', `WhatsApp could not be started: ${(error as Error).message}`);
        scheduleReconnect();
        return;
      }
      if (gen !== generation || stopped) return; // stopped meanwhile; nothing was launched yet
      client = c;
      attach(c, gen);
      armReadyTimer(gen);
      try {
        await c.initialize();
      } catch (error) {
        const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
        void restart(gen, `WhatsApp Web could not be reached: ${message}`);
      }
    })();
  }

  /** Waits for `promise`, but no longer than `ms`. */
  async function bounded(promise: Promise<unknown>, ms = TEARDOWN_WAIT_MS) {
    let timer: unknown = null;
    await Promise.race([promise.catch(() => {}), new Promise<void>((resolve) => (timer = timers.setTimeout(resolve, ms)))]);
    timers.clearTimeout(timer);
  }

  /** Destroys a client and waits for the browser to be gone, also when it was still starting. */
  async function teardown(c: WhatsAppClient, init: Promise<void>) {
    c.removeAllListeners();
    const destroy = () => c.destroy().catch((error: unknown) => logger.warn({ err: error }, 'WhatsApp client did not close cleanly'));
    // A client still launching has no browser to close yet: destroy, let initialize settle
    // (closing the browser makes a pending page load fail), then destroy what it launched.
    await destroy();
    await bounded(init);
    await destroy();
  }

  function scheduleReconnect() {
    if (stopped) return;
    const exp = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** reconnects);
    const delay = Math.round(exp / 2 + (exp / 2) * random());
    reconnects++;
    clearTimer('reconnect');
    pending.reconnect = timers.setTimeout(() => connect(), delay);
    logger.info({ inMs: delay, attempt: reconnects }, 'WhatsApp reconnects');
  }

  /**
   * Takes the current client out of service, if `gen` is still the current generation: its
   * events are ignored from now on and its timers cleared. Returns it (or null) for teardown;
   * false when another restart, recycle or stop came first.
   */
  function retire(gen: number): WhatsAppClient | null | false {
    if (gen !== generation || stopped) return false;
    generation++;
    const old = client;
    client = null;
    clearTimer('ready');
    clearTimer('recycle');
    return old;
  }

  /** The current client is broken (disconnected, a bad state, no ready in time): replace it after a back-off. */
  async function restart(gen: number, reason: string) {
    const old = retire(gen);
    if (old === false) return;
    setState('disconnected', reason, status.account ? { account: status.account } : {});
    logger.warn({ reason }, 'WhatsApp connection lost');
    if (old) await teardown(old, initializing);
    scheduleReconnect();
  }

  /** Replaces a working browser with a fresh one (memory grows over days: whatsapp-web.js #350). */
  async function recycle(gen: number, reason: string) {
    const old = retire(gen);
    if (old === false) return;
    const detail = `recycling the browser (${reason}); queued messages wait in the outbox`;
    setState('starting', detail);
    // Sends under way finish first (a hung one is not waited for: the dispatcher timed it out).
    await bounded(Promise.allSettled([...busy]));
    if (old) await teardown(old, initializing);
    connect(detail);
  }

  function armRecycle(gen: number, c: WhatsAppClient) {
    if (!config.recycleHours && !config.recycleMemoryMb) return;
    clearTimer('recycle');
    const scheduled = config.recycleHours ? readyAt + config.recycleHours * 3_600_000 : Infinity;
    const wait = Math.max(0, Math.min(RECYCLE_CHECK_MS, scheduled - now()));
    pending.recycle = timers.setTimeout(async () => {
      pending.recycle = null;
      if (gen !== generation) return;
      if (now() >= scheduled) return void recycle(gen, `${config.recycleHours} h since it was ready`);
      if (config.recycleMemoryMb) {
        const metrics = await c.pupPage?.metrics().catch(() => null);
        const mb = Math.round((metrics?.JSHeapUsedSize ?? 0) / 1_048_576);
        if (mb > config.recycleMemoryMb) return void recycle(gen, `WhatsApp Web uses ${mb} MB, over ${config.recycleMemoryMb} MB`);
      }
      if (gen === generation) armRecycle(gen, c);
    }, wait);
  }

  function attach(c: WhatsAppClient, gen: number) {
    const live = () => gen === generation && !stopped;
    c.on('qr', (qr) => {
      if (!live()) return;
      clearTimer('ready'); // a person has to scan: no time limit on that
      setState('qr', 'scan the QR code in WhatsApp on the phone: Settings → Linked devices → Link a device', { qr });
      if (qr !== lastQr) {
        lastQr = qr;
        logger.info('WhatsApp needs linking: scan the QR code printed below, or GET /v1/channels/whatsapp/qr');
        if (terminal) {
          import('qrcode')
            .then(({ default: QRCode }) => QRCode.toString(qr, { type: 'terminal', small: true }))
            .then(
            (art) => terminal.write(`${art}\n`),
            (error: unknown) => logger.warn({ err: error }, 'QR code could not be drawn'),
          );
        }
      }
    });
    c.on('code', () => {
      if (live()) logger.info('WhatsApp pairing code issued; type it on the phone');
    });
    c.on('authenticated', () => {
      if (!live()) return;
      lastQr = null;
      setState('authenticated', 'linked; loading chats');
      armReadyTimer(gen);
    });
    c.on('auth_failure', (message) => {
      if (live()) void restart(gen, `WhatsApp refused the saved session (${message}); it will ask for a new QR scan`);
    });
    c.on('ready', () => {
      if (!live()) return;
      clearTimer('ready');
      reconnects = 0;
      readyAt = now();
      const wid = c.info?.wid;
      me = { ids: wid?._serialized ? [wid._serialized] : [] };
      setState('ready', undefined, wid?.user ? { account: wid.user } : {});
      armRecycle(gen, c);
      void learnOwnLid(c, gen);
    });
    c.on('disconnected', (reason) => {
      if (live()) void restart(gen, `WhatsApp disconnected (${reason})`);
    });
    c.on('change_state', (state) => {
      if (live() && BAD_STATES.has(state)) void restart(gen, `WhatsApp Web went to state ${state}`);
    });
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
  }

  /** In groups that hide numbers, the bot is @mentioned by its @lid id: learn it. */
  async function learnOwnLid(c: WhatsAppClient, gen: number) {
    const wid = c.info?.wid?._serialized;
    if (!wid || !c.getContactLidAndPhone) return;
    try {
      const [found] = await c.getContactLidAndPhone([wid]);
      if (found?.lid && gen === generation) me = { ids: [...new Set([...me.ids, found.lid])] };
    } catch (error) {
      logger.debug({ err: error }, 'own @lid id not known');
    }
  }

  async function onMessage(msg: Parameters<typeof toInbound>[0]) {
    try {
      if (!toInbound(msg, me, undefined)) return; // cheap checks first: no lookups for what is ignored
      const name =
        safeDisplayName(msg._data?.notifyName) ??
        safeDisplayName(await msg.getContact?.().then((contact) => contact.pushname, () => undefined));
      const inbound = toInbound(msg, me, name)!;
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
      if (inbound.space.direct) await coldDms.markWarm(`whatsapp:${inbound.space.externalId}`, now());
      if (inbound.media) inbound.media = { ...inbound.media, ...(await fetchMedia(msg)) };
      await core.receive(inbound);
    } catch (error) {
      logger.error({ err: error, messageId: msg.id?._serialized }, 'WhatsApp message not handled');
    }
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
    try {
      if (event) await core.receiveEvent(event);
    } catch (error) {
      logger.error({ err: error }, 'WhatsApp edit or deletion not handled');
    }
  }

  async function onNotification(kind: 'join' | 'leave', n: Parameters<typeof notificationToEvent>[1]) {
    try {
      const names = new Map<string, string>();
      if (kind === 'join' && n.getRecipients) {
        const contacts = await n.getRecipients().catch(() => []);
        for (const contact of contacts) {
          const id = serialized(contact.id);
          if (id && contact.pushname) names.set(id, contact.pushname);
        }
      }
      const event = notificationToEvent(kind, n, me, names);
      if (event) await core.receiveEvent(event);
    } catch (error) {
      logger.error({ err: error, eventId: n.id?._serialized }, `WhatsApp group_${kind} not handled`);
    }
  }

  /** Option names of the polls we sent, for votes whatsapp-web.js could not name. */
  const pollLabels = new Map<string, string[]>();
  async function onVote(vote: Parameters<typeof voteToInbound>[0]) {
    try {
      const pollId = vote.parentMessage?.id?._serialized ?? vote.parentMsgKey?._serialized;
      if (pollId && !pollLabels.has(pollId) && vote.selectedOptions.some((o) => o.name === undefined)) {
        const stored = await core.references.get(`whatsapp:poll:${pollId}`);
        if (Array.isArray(stored?.options)) pollLabels.set(pollId, stored.options as string[]);
      }
      const inbound = voteToInbound(vote, (id) => pollLabels.get(id));
      if (inbound) await core.receive(inbound);
    } catch (error) {
      logger.error({ err: error }, 'WhatsApp poll vote not handled');
    }
  }

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
    new ChannelDeferral(`WhatsApp is not connected (${status.state}); the message waits`, NOT_READY_RETRY_MS);

  /** An edit or deletion of a message the bot sent: paced like a send, as WhatsApp sees it as one. */
  async function change(message: OutboundMessage & { operation: NonNullable<OutboundMessage['operation']> }, chatId: string): Promise<{ externalId?: string }> {
    const slot = pacer.reserve(message.id, chatId, now());
    if (slot.kind === 'defer') throw new ChannelDeferral(`paced: next WhatsApp send slot in ${slot.at - now()} ms`, slot.at - now());
    if (slot.at > now()) await sleep(slot.at - now());
    const c = client;
    if (status.state !== 'ready' || !c?.getMessageById) {
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

  async function send(message: OutboundMessage): Promise<{ externalId?: string }> {
    const chatId = chatIdOf(message.address);
    if (!chatId) throw new ChannelSendError(`not a WhatsApp chat address: ${message.address}`, false);
    if (status.state !== 'ready' || !client) throw notReady();
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
    const c = client;
    if (status.state !== 'ready' || !c) {
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
  }

  const port = {
    channel: 'whatsapp' as const,
    capabilities: { maxTextLength: 4096, cards: false, nativePolls: true, edits: true, media: { kinds: ['photo', 'document', 'video', 'audio'] as MediaKind[], maxBytes: MAX_SEND_MEDIA } },
    send,
    status: (): ChannelStatus => {
      const { qr, account, ...rest } = status;
      return { ...rest, ...(status.state === 'qr' && qr ? { qr } : {}), ...(account ? { account } : {}) };
    },
    async requestPairingCode(phoneNumber: string): Promise<string> {
      const digits = phoneNumber.replace(/[\s\-()+]/g, '');
      if (!/^\d{8,15}$/.test(digits)) throw new Error('the phone number must be 8 to 15 digits in international form, e.g. 31612345678');
      if (status.state !== 'qr' || !client) {
        throw new Error(`a pairing code can only be asked while WhatsApp waits to be linked (now: ${status.state})`);
      }
      return client.requestPairingCode(digits, true);
    },
  };

  return {
    port,
    async idle() {
      while (busy.size > 0) await Promise.allSettled([...busy]);
    },
    async start() {
      if (!stopped) return;
      stopped = false;
      connect();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      generation++;
      for (const name of ['ready', 'reconnect', 'recycle'] as const) clearTimer(name);
      const old = client;
      client = null;
      await bounded(Promise.allSettled([...busy]));
      if (old) await teardown(old, initializing);
      else await bounded(initializing);
      setState('off', 'stopped');
    },
  };
}
