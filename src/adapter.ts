import type { FastifyInstance } from 'fastify';
import type { ChannelPort } from './core/channel.js';
import type { Core } from './core/index.js';

/**
 * A channel adapter as the server runs it (adapters/whatsapp, adapters/teams). The server
 * registers `routes` before listening, registers `port` with the core, calls `start()` once it
 * listens, and on shutdown awaits `stop()` (no more inbound) before draining the core.
 */
export interface ChannelAdapter {
  port: ChannelPort;
  /** HTTP routes the platform calls, outside /v1 (Teams: POST /api/messages). */
  routes?: (app: FastifyInstance) => Promise<void>;
  start(): Promise<void>;
  /** Stops receiving and releases the platform's resources (a browser); resolves when done. */
  stop(): Promise<void>;
}

/** What of the core an adapter uses. */
export type AdapterCore = Pick<Core, 'receive' | 'receiveEvent' | 'references'>;
