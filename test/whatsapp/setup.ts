import { and, eq } from 'drizzle-orm';
import pino, { type Logger } from 'pino';
import { createWhatsAppAdapter, type WhatsAppAdapter, type WhatsAppConfig } from '../../adapters/whatsapp/index.js';
import type { AdapterCore } from '../../src/adapter.js';
import type { Core } from '../../src/core/index.js';
import { outbox } from '../../src/db/schema/index.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { FakeWhatsAppClient } from './fake-client.js';
import { virtualTimers, type VirtualTimers } from './virtual-timers.js';

export const TEST_CONFIG: WhatsAppConfig = {
  enabled: true,
  chromiumPath: null,
  paceMs: 1_000,
  jitterMs: 500,
  chatIntervalMs: 3_000,
  coldDmDailyCap: 50,
  readyTimeoutMs: 60_000,
  recycleMemoryMb: 0,
  recycleHours: 0,
  inboundRetryMax: 1_000,
  inboundRetryMinutes: 60,
};

/** Resolves once `condition` holds (checked every few real ms), or fails after `ms`. */
export async function until(condition: () => boolean | Promise<boolean>, what = 'condition', ms = 5_000) {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

export interface WhatsAppHarness {
  h: Harness;
  vt: VirtualTimers;
  adapter: WhatsAppAdapter;
  /** Every client the adapter made, oldest first; a reconnect or recycle makes a new one. */
  clients: FakeWhatsAppClient[];
  /** The client in use now. */
  readonly client: FakeWhatsAppClient;
  /** What the next client does on initialize. */
  nextClient: (client: FakeWhatsAppClient) => void;
  /** The client emits an event; resolves when the adapter handed it to the core. */
  emit(event: string, payload: unknown): Promise<void>;
  /** Sends every queued message, moving the fake time across pacing and deferrals. */
  drain(maxMs?: number): Promise<void>;
  /** Everything a core would start over with: a new adapter on the same database (a restart). */
  restartAdapter(config?: Partial<WhatsAppConfig>): Promise<void>;
  close(): Promise<void>;
}

export interface WhatsAppHarnessOptions {
  linked?: boolean;
  terminal?: { write(text: string): unknown };
  /** What the adapter is given of the core (default the core itself), e.g. one whose database fails. */
  core?: (core: Core) => AdapterCore;
  /** The adapter's logger (default silent, or TEST_LOG_LEVEL). */
  logger?: Logger;
}

/**
 * The core on a fresh database with the real WhatsApp adapter on a fake whatsapp-web.js client,
 * a fake clock and virtual timers; ready (linked) unless `linked: false`.
 */
export async function createWhatsAppHarness(config: Partial<WhatsAppConfig> = {}, options: WhatsAppHarnessOptions = {}): Promise<WhatsAppHarness> {
  let vt!: VirtualTimers;
  let adapter!: WhatsAppAdapter;
  const clients: FakeWhatsAppClient[] = [];
  const logger = options.logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  let makeAdapter!: (cfg: WhatsAppConfig) => WhatsAppAdapter;
  const wh: Omit<WhatsAppHarness, 'h' | 'vt' | 'adapter' | 'client'> & { h?: Harness } = {
    clients,
    nextClient: (client) => {
      if (options.linked === false) client.onInitialize = 'qr';
    },
    async emit(event, payload) {
      wh.clients.at(-1)!.emit(event, payload);
      await adapter.idle();
    },
    async drain(maxMs = 7 * 86_400_000) {
      const h = wh.h!;
      const deadline = vt.now() + maxMs;
      for (;;) {
        await vt.drive(h.flush());
        const waiting = await h.database.db
          .select({ availableAt: outbox.availableAt })
          .from(outbox)
          .where(and(eq(outbox.channel, 'whatsapp'), eq(outbox.status, 'pending')));
        if (waiting.length === 0) return;
        // Rows behind a deferred one are due but held back: the next thing to happen is the
        // earliest row that is not due yet.
        const later = waiting.map((r) => r.availableAt.getTime()).filter((at) => at > vt.now());
        if (later.length === 0) throw new Error(`${waiting.length} messages wait, none scheduled`);
        const next = Math.min(...later);
        if (next > deadline) throw new Error('messages still waiting at the end of the drain');
        await vt.advance(next - vt.now());
      }
    },
    async restartAdapter(overrides = {}) {
      await adapter.stop();
      adapter = makeAdapter({ ...TEST_CONFIG, ...config, ...overrides });
      wh.h!.core.registerChannel(adapter.port);
      await adapter.start();
      await until(() => adapter.port.status().state === 'ready', 'ready after restart');
    },
    async close() {
      await wh.h!.close();
      await adapter.stop();
    },
  };
  const h = await createHarness({
    adapters: (core, clock) => {
      vt = virtualTimers(clock);
      const adapterCore = options.core?.(core) ?? core;
      makeAdapter = (cfg) =>
        createWhatsAppAdapter({
          config: cfg,
          dataDir: '/nonexistent',
          core: adapterCore,
          logger,
          createClient: () => {
            const client = new FakeWhatsAppClient(vt.now);
            wh.nextClient(client);
            clients.push(client);
            return client;
          },
          clock: vt.now,
          timers: vt.timers,
          random: () => 0.5,
          terminal: options.terminal ?? null,
        });
      adapter = makeAdapter({ ...TEST_CONFIG, ...config });
      return [adapter];
    },
  });
  wh.h = h;
  const expected = options.linked === false ? 'qr' : 'ready';
  await until(() => adapter.port.status().state === expected, `WhatsApp ${expected}`);
  return Object.defineProperties(wh, {
    vt: { get: () => vt },
    adapter: { get: () => adapter },
    client: { get: () => clients.at(-1)! },
  }) as WhatsAppHarness;
}
