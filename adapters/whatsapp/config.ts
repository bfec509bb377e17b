import { existsSync } from 'node:fs';
import { ConfigError, flag, wholeNumber, type Env } from '../../src/env.js';

/** The WhatsApp adapter's settings (WHATSAPP_*, CHROMIUM_PATH). */
export interface WhatsAppConfig {
  enabled: boolean;
  /** The system Chromium puppeteer drives; null when none was found (the adapter reports it). */
  chromiumPath: string | null;
  /** Least time between two messages sent, whatever the chat. */
  paceMs: number;
  /** Up to this much is added at random to each gap, so the rhythm does not look like a bot's. */
  jitterMs: number;
  /** Least time between two messages to the same chat. */
  chatIntervalMs: number;
  /** Direct messages per day (UTC) to people who never wrote to the bot themselves. */
  coldDmDailyCap: number;
  /** How long after start (or after a scan) `ready` may take before the client is restarted. */
  readyTimeoutMs: number;
  /** Recycle the browser when its page's JavaScript heap passes this many MB (0: never). */
  recycleMemoryMb: number;
  /** Recycle the browser after this many hours of being ready (0: never). */
  recycleHours: number;
  /** Inbound messages and events the core could not take (its database away) waiting for a retry, at most (0: no retries). */
  inboundRetryMax: number;
  /** How long such an item is retried before it is given up. */
  inboundRetryMinutes: number;
}

/** Where Chromium usually lives, when CHROMIUM_PATH is not set. */
export const CHROMIUM_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

/** Parses the WhatsApp settings; throws ConfigError naming the variable on a bad value. */
export function loadWhatsAppConfig(env: Env, exists: (path: string) => boolean = existsSync): WhatsAppConfig {
  const enabled = flag(env, 'WHATSAPP_ENABLED', false);
  let chromiumPath: string | null = env.CHROMIUM_PATH?.trim() || null;
  if (chromiumPath) {
    if (enabled && !exists(chromiumPath)) throw new ConfigError(`CHROMIUM_PATH ${chromiumPath} does not exist`);
  } else {
    chromiumPath = CHROMIUM_CANDIDATES.find((path) => exists(path)) ?? null;
  }
  if (enabled && !chromiumPath) {
    throw new ConfigError(
      `CHROMIUM_PATH is not set and no Chromium was found (${CHROMIUM_CANDIDATES.slice(0, 3).join(', ')}, …): install one (apt-get install chromium) or set CHROMIUM_PATH`,
    );
  }
  return {
    enabled,
    chromiumPath,
    paceMs: wholeNumber(env, 'WHATSAPP_PACE_MS', 1_000, 0, 600_000),
    jitterMs: wholeNumber(env, 'WHATSAPP_JITTER_MS', 500, 0, 600_000),
    chatIntervalMs: wholeNumber(env, 'WHATSAPP_CHAT_INTERVAL_MS', 3_000, 0, 3_600_000),
    coldDmDailyCap: wholeNumber(env, 'WHATSAPP_COLD_DM_DAILY_CAP', 50, 0, 100_000),
    readyTimeoutMs: wholeNumber(env, 'WHATSAPP_READY_TIMEOUT_MS', 180_000, 1_000, 3_600_000),
    recycleMemoryMb: wholeNumber(env, 'WHATSAPP_RECYCLE_MEMORY_MB', 1_024, 0, 1_000_000),
    recycleHours: wholeNumber(env, 'WHATSAPP_RECYCLE_HOURS', 24, 0, 24 * 365),
    inboundRetryMax: wholeNumber(env, 'WHATSAPP_INBOUND_RETRY_MAX', 1_000, 0, 100_000),
    inboundRetryMinutes: wholeNumber(env, 'WHATSAPP_INBOUND_RETRY_MINUTES', 60, 1, 7 * 24 * 60),
  };
}
