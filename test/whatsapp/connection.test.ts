import { afterEach, describe, expect, it } from 'vitest';
import { outboxTo, queueTexts } from '../helpers/conversation.js';
import { engine } from '../helpers/database.js';
import { createWhatsAppHarness, until, type WhatsAppHarness } from './setup.js';

const GROUP = '120363000000000001@g.us';
const ADDRESS = `whatsapp:${GROUP}`;

// Each test starts its own core and database (PGlite opens in a second or more on a busy machine).
describe(`WhatsApp: staying connected (${engine()})`, { timeout: 60_000 }, () => {
  let w: WhatsAppHarness;
  afterEach(() => w?.close());

  const status = () => w.adapter.port.status();

  it('shows the QR code to scan, in the terminal and to admins, and the linked number once ready', async () => {
    const printed: string[] = [];
    w = await createWhatsAppHarness({}, { linked: false, terminal: { write: (text: string) => printed.push(text) } });
    const shown = await w.h.api({ method: 'GET', url: '/v1/channels/whatsapp' });
    expect(shown.json()).toMatchObject({ channel: 'whatsapp', state: 'qr' });
    expect(shown.json().qr).toContain('2@fakeQrRef');
    const png = await w.h.api({ method: 'GET', url: '/v1/channels/whatsapp/qr' });
    expect(png.statusCode).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    await until(() => printed.length > 0, 'the QR code in the terminal');
    expect(printed[0]).toMatch(/[█▀▄]/);

    // The same code again is not printed again.
    await w.emit('qr', '2@fakeQrRef,staticKey,identityKey,advSecret,platform');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(printed).toHaveLength(1);

    const code = await w.h.api({ method: 'POST', url: '/v1/channels/whatsapp/pairing-code', payload: { phoneNumber: '+31612345678' } });
    expect(code.json()).toEqual({ code: 'ABCD1234' });

    w.client.becomeReady(); // the phone scanned
    const ready = (await w.h.api({ method: 'GET', url: '/v1/channels/whatsapp' })).json();
    expect(ready).toMatchObject({ state: 'ready', account: '31600000000' });
    expect(ready.qr).toBeUndefined();
    expect((await w.h.api({ method: 'GET', url: '/v1/channels/whatsapp/qr' })).statusCode).toBe(404);
    // A pairing code makes no sense once linked.
    expect((await w.h.api({ method: 'POST', url: '/v1/channels/whatsapp/pairing-code', payload: { phoneNumber: '31612345678' } })).statusCode).toBe(409);
  });

  it('reconnects with a growing back-off after a disconnect, and sends what waited', async () => {
    w = await createWhatsAppHarness();
    const first = w.client;
    w.nextClient = (c) => (c.onInitialize = new Error('net::ERR_NAME_NOT_RESOLVED at https://web.whatsapp.com/'));
    first.emit('disconnected', 'NAVIGATION');
    await w.adapter.idle();
    await until(() => first.destroyed > 0, 'the old client destroyed');
    expect(status()).toMatchObject({ state: 'disconnected', detail: expect.stringContaining('NAVIGATION') });
    await queueTexts(w.h, ADDRESS, ['tijdens de storing']);
    await w.vt.drive(w.h.flush());
    expect((await outboxTo(w.h, ADDRESS))[0]).toMatchObject({ status: 'pending', attempts: 0 });

    // First try after 2.5–5 s fails (WhatsApp Web unreachable); the next waits longer.
    await w.vt.advance(5_000);
    await until(() => w.clients.length === 2 && status().detail?.includes('ERR_NAME_NOT_RESOLVED') === true, 'the failed reconnect');
    expect(w.clients[1]!.destroyed).toBeGreaterThan(0); // a browser that failed to load is closed
    w.nextClient = () => {};
    await w.vt.advance(4_000);
    expect(w.clients).toHaveLength(2); // back-off doubled: not yet
    await w.vt.advance(6_000);
    await until(() => status().state === 'ready', 'ready again');
    expect(w.clients).toHaveLength(3);

    await w.drain();
    expect(w.client.textsTo(GROUP)).toEqual(['tijdens de storing']);
    expect(first.textsTo(GROUP)).toEqual([]);
  });

  it('reconnects when WhatsApp Web reports a conflict, though no disconnected event comes', async () => {
    w = await createWhatsAppHarness();
    w.client.emit('change_state', 'CONFLICT');
    expect(status()).toMatchObject({ state: 'disconnected', detail: expect.stringContaining('CONFLICT') });
    await w.vt.advance(5_000);
    await until(() => status().state === 'ready', 'ready again');
    expect(w.clients).toHaveLength(2);
    // Passing states are no reason to reconnect.
    w.client.emit('change_state', 'TIMEOUT');
    expect(status().state).toBe('ready');
  });

  it('restarts the client when ready does not come in time after linking', async () => {
    w = await createWhatsAppHarness({ readyTimeoutMs: 60_000 });
    w.nextClient = (c) => (c.onInitialize = 'nothing');
    w.client.emit('disconnected', 'LOGOUT');
    await w.adapter.idle();
    await w.vt.advance(5_000);
    await until(() => w.clients.length === 2, 'a new client');
    expect(status().state).toBe('starting');
    w.nextClient = () => {};
    // The new client started 3.75 s after the disconnect (back-off 2.5–5 s): it has 60 s.
    await w.vt.advance(50_000);
    expect(status().state).toBe('starting');
    await w.vt.advance(10_000);
    await until(() => w.clients[1]!.destroyed > 0, 'the stuck client destroyed');
    expect(status().detail).toContain('not ready within 60 s');
    await w.vt.advance(10_000);
    await until(() => status().state === 'ready', 'ready with a fresh client');
  });

  it('recycles the browser on schedule without losing a queued message', async () => {
    w = await createWhatsAppHarness({ recycleHours: 24 });
    const first = w.client;
    await queueTexts(w.h, ADDRESS, ['voor']);
    await w.drain();
    await w.vt.advance(24 * 3_600_000);
    await until(() => first.destroyed > 0 && w.clients.length === 2, 'a new browser');
    // Queued while the new browser starts: the row waits, no attempt used up.
    await queueTexts(w.h, ADDRESS, ['tijdens']);
    await until(() => status().state === 'ready', 'ready after the recycle');
    await w.drain();
    expect(first.textsTo(GROUP)).toEqual(['voor']);
    expect(w.client.textsTo(GROUP)).toEqual(['tijdens']);
    expect((await outboxTo(w.h, ADDRESS)).map((r) => r.status)).toEqual(['delivered', 'delivered']);
  });

  it('recycles the browser when its memory passes the limit, deferring sends meanwhile', async () => {
    w = await createWhatsAppHarness({ recycleMemoryMb: 500 });
    const first = w.client;
    await w.vt.advance(5 * 60_000);
    expect(w.clients).toHaveLength(1); // 50 MB: fine
    first.heapBytes = 900 * 1_048_576;
    w.nextClient = (c) => (c.onInitialize = 'nothing'); // the new browser takes its time
    await w.vt.advance(5 * 60_000);
    await until(() => first.destroyed > 0 && w.clients.length === 2, 'a new browser');
    expect(status()).toMatchObject({ state: 'starting', detail: expect.stringContaining('900 MB') });
    await queueTexts(w.h, ADDRESS, ['geduld']);
    await w.vt.drive(w.h.flush());
    expect((await outboxTo(w.h, ADDRESS))[0]).toMatchObject({ status: 'pending', attempts: 0 });
    w.client.becomeReady();
    await w.drain();
    expect(w.client.textsTo(GROUP)).toEqual(['geduld']);
  });

  it('closes the browser on stop and reports off', async () => {
    w = await createWhatsAppHarness();
    const client = w.client;
    await w.adapter.stop();
    expect(client.destroyed).toBeGreaterThan(0);
    expect(status().state).toBe('off');
    // Events from the old client after stop reach nobody.
    client.emit('ready');
    expect(status().state).toBe('off');
  });
});
