import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createWhatsAppAdapter, loadWhatsAppConfig, type WhatsAppAdapter } from '../../adapters/whatsapp/index.js';
import { engine } from '../helpers/database.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { until } from './setup.js';

const config = (() => {
  try {
    return loadWhatsAppConfig({ ...process.env, WHATSAPP_ENABLED: 'true', WHATSAPP_READY_TIMEOUT_MS: '120000' });
  } catch (error) {
    return (error as Error).message;
  }
})();
const noChromium = typeof config === 'string' ? `no Chromium to drive (${config})` : null;
if (noChromium) console.warn(`WhatsApp smoke test skipped: ${noChromium}`);

/** Chromium processes whose command line names this data folder. */
function browsersUsing(dir: string): number[] {
  try {
    return execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.includes(dir) && /chrom/i.test(line))
      .map((line) => Number(line.trim().split(/\s+/)[0]));
  } catch {
    return [];
  }
}

describe.skipIf(noChromium !== null)(`WhatsApp with the real client and the system Chromium (${engine()})`, () => {
  let h: Harness;
  let adapter: WhatsAppAdapter;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'samen-wa-smoke-'));
  afterAll(async () => {
    await h?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts the browser, reports that WhatsApp Web cannot be reached, and leaves no browser behind', { timeout: 120_000 }, async () => {
    if (typeof config === 'string') return;
    expect(existsSync(config.chromiumPath!)).toBe(true);
    h = await createHarness({
      adapters: (core) => {
        adapter = createWhatsAppAdapter({ config, dataDir, core, logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), terminal: null });
        return [adapter];
      },
    });
    // start() returned at once; the browser starts in the background.
    expect(['starting', 'disconnected', 'qr']).toContain(adapter.port.status().state);
    await until(() => browsersUsing(dataDir).length > 0 || adapter.port.status().state !== 'starting', 'the browser', 60_000);
    // No network to web.whatsapp.com here: the page load fails, and the status says why.
    // (On a machine that can reach WhatsApp, a QR code to scan is the outcome instead.)
    await until(() => ['disconnected', 'qr'].includes(adapter.port.status().state), 'the outcome of the page load', 90_000);
    const shown = await h.api({ method: 'GET', url: '/v1/channels/whatsapp' });
    expect(shown.statusCode).toBe(200);
    const body = shown.json();
    if (body.state === 'disconnected') expect(body.detail).toMatch(/could not be reached|ERR_|net::/i);
    else expect(body.qr).toBeTruthy();

    await adapter.stop();
    expect(adapter.port.status().state).toBe('off');
    await until(() => browsersUsing(dataDir).length === 0, 'every Chromium process gone', 10_000);
  });
});
