import type { Logger } from 'pino';
import type { AdapterCore, ChannelAdapter } from '../../src/adapter.js';
import type { ChannelPort, MediaKind } from '../../src/core/channel.js';
import { createWhatsAppClient, type WhatsAppClient } from './client.js';
import { createColdDmCap } from './cold-dm-cap.js';
import type { WhatsAppConfig } from './config.js';
import { createConnection, createTracker, realTimers, type Timers } from './connection.js';
import { createInboundRetry } from './inbound-retry.js';
import { createReceiver } from './receive.js';
import { createSender } from './send.js';

export { loadWhatsAppConfig, type WhatsAppConfig } from './config.js';
export type { WhatsAppClient } from './client.js';
export type { Timers, WhatsAppState } from './connection.js';

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

/** Files WhatsApp takes from us: photos up to 16 MB, documents up to 100 MB (the bridge's own limit is lower). */
const MAX_SEND_MEDIA = 16 * 1_048_576;

/**
 * The WhatsApp channel: one whatsapp-web.js client (a linked device of one phone number) kept
 * connected (connection.ts), inbound messages, joins, leaves and poll votes handed to the core
 * (receive.ts), outbound messages paced so the number does not look like a bot (send.ts).
 */
export function createWhatsAppAdapter(deps: WhatsAppAdapterDeps): WhatsAppAdapter {
  const { config, core, logger } = deps;
  const now = deps.clock ?? Date.now;
  const timers = deps.timers ?? realTimers;
  const random = deps.random ?? Math.random;

  const coldDms = createColdDmCap(core.references, config.coldDmDailyCap);
  /** Inbound handling and sends under way: stop and recycle wait for them. */
  const busy = createTracker();
  /** Option names of the polls we sent, for votes whatsapp-web.js could not name. */
  const pollLabels = new Map<string, string[]>();

  const connection = createConnection({
    config,
    logger,
    createClient: deps.createClient ?? (() => createWhatsAppClient(config, deps.dataDir)),
    now,
    timers,
    random,
    terminal: deps.terminal === undefined ? process.stderr : deps.terminal,
    busy,
    // Only called once a client starts, after `receiver` below exists.
    listen: (c, live) => receiver.listen(c, live),
  });
  const retry = createInboundRetry({
    logger,
    timers,
    now,
    random,
    track: busy.track,
    maxItems: config.inboundRetryMax,
    maxWaitMs: config.inboundRetryMinutes * 60_000,
  });
  const receiver = createReceiver({
    core,
    logger,
    coldDms,
    now,
    mediaMaxBytes: deps.mediaMaxBytes ?? 5 * 1_048_576,
    me: connection.me,
    pollLabels,
    track: busy.track,
    retry,
  });
  const send = createSender({ config, core, logger, coldDms, now, timers, random, connection, track: busy.track, pollLabels });

  const port = {
    channel: 'whatsapp' as const,
    capabilities: { maxTextLength: 4096, cards: false, nativePolls: true, edits: true, media: { kinds: ['photo', 'document', 'video', 'audio'] as MediaKind[], maxBytes: MAX_SEND_MEDIA } },
    send,
    status: connection.status,
    requestPairingCode: connection.requestPairingCode,
  };

  return {
    port,
    idle: busy.idle,
    async start() {
      retry.start();
      await connection.start();
    },
    // No more inbound first (what is under way settles), then one last try for what waits.
    async stop() {
      await connection.stop();
      await retry.stop();
    },
  };
}
