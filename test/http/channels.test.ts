import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelAdapter } from '../../src/adapter.js';
import { ADMIN } from '../../src/core/access.js';
import { createChannelsService } from '../../src/core/channels.service.js';
import type { ChannelStatus } from '../../src/core/channel.js';
import { createHarness, seedCommunity, type Harness } from '../helpers/harness.js';
import { expectProblem, expectValidation } from './support.js';

/** A WhatsApp adapter stand-in whose connection state a test sets. */
function fakeWhatsApp() {
  let status: ChannelStatus = { state: 'starting', since: '2026-03-02T09:00:00.000Z' };
  const pairings: string[] = [];
  const adapter: ChannelAdapter = {
    port: {
      channel: 'whatsapp',
      capabilities: { maxTextLength: 4096, cards: false, nativePolls: true },
      send: async () => ({}),
      status: () => status,
      async requestPairingCode(phone) {
        if (status.state !== 'qr') throw new Error('the phone is already linked');
        pairings.push(phone);
        return 'ABCD-1234';
      },
    },
    start: async () => {},
    stop: async () => {},
  };
  return { adapter, pairings, set: (s: ChannelStatus) => void (status = s) };
}

describe('channel status for admins', () => {
  let h: Harness;
  const whatsapp = fakeWhatsApp();
  beforeAll(async () => {
    h = await createHarness({ adapters: () => [whatsapp.adapter] });
  });
  afterAll(() => h.close());

  it('lists both channels with their state', async () => {
    whatsapp.set({ state: 'ready', since: '2026-03-02T09:01:00.000Z', account: '31612345678' });
    const res = await h.api({ method: 'GET', url: '/v1/channels' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items).toEqual([
      { channel: 'whatsapp', state: 'ready', since: '2026-03-02T09:01:00.000Z', account: '31612345678' },
      { channel: 'teams', state: 'ready', since: expect.any(String) },
    ]);
  });

  it('serves the QR code to scan as a PNG while the phone is not linked, and 404 once it is', async () => {
    whatsapp.set({ state: 'qr', since: '2026-03-02T09:02:00.000Z', qr: '2@abcdefghijklmnopqrstuvwxyz0123456789,xyz,abc' });
    const status = await h.api({ method: 'GET', url: '/v1/channels/whatsapp' });
    expect(status.json()).toMatchObject({ state: 'qr', qr: expect.stringMatching(/^2@/) });
    const png = await h.api({ method: 'GET', url: '/v1/channels/whatsapp/qr' });
    expect(png.statusCode).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.rawPayload.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.rawPayload.length).toBeGreaterThan(500);

    whatsapp.set({ state: 'ready', since: '2026-03-02T09:03:00.000Z' });
    const none = expectProblem(await h.api({ method: 'GET', url: '/v1/channels/whatsapp/qr' }), 404, 'not-found');
    expect(none.detail).toContain('ready');
  });

  it('gives a pairing code for phones that cannot scan, and a clear 409 when WhatsApp will not', async () => {
    whatsapp.set({ state: 'qr', since: '2026-03-02T09:04:00.000Z', qr: 'x' });
    const res = await h.api({ method: 'POST', url: '/v1/channels/whatsapp/pairing-code', payload: { phoneNumber: '+31612345678' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ code: 'ABCD-1234' });
    expect(whatsapp.pairings).toEqual(['31612345678']);

    expectValidation(await h.api({ method: 'POST', url: '/v1/channels/whatsapp/pairing-code', payload: { phoneNumber: '06-1234' } }), 'body/phoneNumber');
    whatsapp.set({ state: 'ready', since: '2026-03-02T09:05:00.000Z' });
    const refused = expectProblem(await h.api({ method: 'POST', url: '/v1/channels/whatsapp/pairing-code', payload: { phoneNumber: '31612345678' } }), 409, 'conflict');
    expect(refused.detail).toContain('already linked');
    expectProblem(await h.api({ method: 'POST', url: '/v1/channels/teams/pairing-code', payload: { phoneNumber: '31612345678' } }), 404, 'not-found');
  });

  it('is for admins only: a manager token gets 403 and never sees the linked number', async () => {
    const { community } = await seedCommunity(h);
    const { token } = (await h.api({ method: 'POST', url: '/v1/tokens', payload: { name: 'm', communityId: community.id } })).json() as { token: string };
    for (const url of ['/v1/channels', '/v1/channels/whatsapp', '/v1/channels/whatsapp/qr']) {
      const res = await h.api({ method: 'GET', url, token });
      expectProblem(res, 403, 'forbidden');
      expect(res.body).not.toContain('3161234');
    }
    expectValidation(await h.api({ method: 'GET', url: '/v1/channels/signal' }), 'params/channel');
  });
});

describe('channel status when WhatsApp is off', () => {
  it('says so, and how to turn it on', () => {
    const channels = createChannelsService(new Map(), () => new Date('2026-03-02T09:00:00Z'));
    expect(channels.get(ADMIN, 'whatsapp')).toEqual({
      channel: 'whatsapp',
      state: 'off',
      since: '2026-03-02T09:00:00.000Z',
      detail: expect.stringContaining('WHATSAPP_ENABLED=true'),
    });
    expect(() => channels.qr(ADMIN, 'whatsapp')).toThrow(/off/);
  });
});
