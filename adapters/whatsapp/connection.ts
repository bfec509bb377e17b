/**
 * The WhatsApp connection's state machine: one whatsapp-web.js client (a linked device of one
 * phone number) started, restarted after a back-off when it breaks, recycled when it has run
 * long or grown big, torn down on stop — and the status admins see in `GET /v1/channels/whatsapp`.
 * Inbound events of the live client are handed to the `listen` it is given (receive.ts).
 */
import type { Logger } from 'pino';
import type { ChannelStatus } from '../../src/core/channel.js';
import type { WhatsAppClient } from './client.js';
import type { WhatsAppConfig } from './config.js';
import type { Me } from './whatsapp.mapper.js';

/** The connection as admins see it in `GET /v1/channels/whatsapp`. */
export type WhatsAppState = 'off' | 'starting' | 'qr' | 'authenticated' | 'ready' | 'disconnected';

/** Timers the adapter uses; tests pass virtual ones. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** A send waiting for its pace slot (default: setTimeout). */
  sleep?(ms: number): Promise<void>;
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

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

const RECONNECT_BASE_MS = 5_000;
const RECONNECT_MAX_MS = 5 * 60_000;
const RECYCLE_CHECK_MS = 5 * 60_000;
/** How long a dying client may take to finish starting before it is destroyed again. */
const TEARDOWN_WAIT_MS = 30_000;

/** Waits for `promise` (whether it resolves or rejects), but no longer than `ms` on `timers`. */
export async function waitAtMost(timers: Timers, promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: unknown = null;
  await Promise.race([promise.catch(() => {}), new Promise<void>((resolve) => (timer = timers.setTimeout(resolve, ms)))]);
  timers.clearTimeout(timer);
}

/** Inbound handling and sends under way: stop and recycle wait for them, `idle` until none is left. */
export function createTracker() {
  const busy = new Set<Promise<unknown>>();
  function track<T>(promise: Promise<T>): Promise<T> {
    busy.add(promise);
    void promise.finally(() => busy.delete(promise)).catch(() => {});
    return promise;
  }
  return {
    track,
    /** What is under way now, once it has settled. */
    settled: () => Promise.allSettled([...busy]),
    /** Resolves when nothing is under way any more, also what started meanwhile. */
    async idle() {
      while (busy.size > 0) await Promise.allSettled([...busy]);
    },
  };
}
export type Tracker = ReturnType<typeof createTracker>;

export interface ConnectionDeps {
  config: WhatsAppConfig;
  logger: Logger;
  createClient: () => WhatsAppClient | Promise<WhatsAppClient>;
  now: () => number;
  timers: Timers;
  random: () => number;
  /** Where the QR code is drawn for whoever watches the terminal; null: nowhere. */
  terminal: { write(text: string): unknown } | null;
  busy: Tracker;
  /** Registers the inbound listeners on a new client; `live()` says whether it is still the current one. */
  listen(c: WhatsAppClient, live: () => boolean): void;
}

export function createConnection(deps: ConnectionDeps) {
  const { config, logger, createClient, now, timers, random, terminal, busy } = deps;

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

  const bounded = (promise: Promise<unknown>, ms = TEARDOWN_WAIT_MS) => waitAtMost(timers, promise, ms);

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
    await bounded(busy.settled());
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
    deps.listen(c, live);
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

  return {
    /** The connection state now (sends go out only while it is `ready`). */
    state: (): WhatsAppState => status.state,
    /** The current client, null while none is running. */
    client: (): WhatsAppClient | null => client,
    /** The ids the bot is known by, to recognise @mentions of it. */
    me: (): Me => me,
    /** The status as the port shows it: the QR code only while one is to be scanned. */
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
      await bounded(busy.settled());
      if (old) await teardown(old, initializing);
      else await bounded(initializing);
      setState('off', 'stopped');
    },
  };
}
export type Connection = ReturnType<typeof createConnection>;
