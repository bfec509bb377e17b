import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelSendError } from '../../src/core/channel.js';
import { engine } from '../helpers/database.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { expectProblem, expectValidation, managerToken, newGroup, seed } from './support.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

interface Announcement {
  id: string;
  status: 'scheduled' | 'sent' | 'cancelled';
  sendAt: string;
  sentAt: string | null;
  delivery: { spaces: number; pending: number; sending: number; delivered: number; failed: number };
  deliveries?: { spaceId: string; name: string | null; channel: string; status: string; attempts: number; lastError: string | null }[];
}

/** A community with two WhatsApp groups and a Teams channel. */
async function community(fields: Record<string, unknown> = {}) {
  const seeded = await seed(h, fields);
  const second = newGroup();
  const teams = `19:${seeded.community.id}@thread.tacv2`;
  for (const payload of [
    { channel: 'whatsapp', externalId: second, name: 'Wijkzorg Oost' },
    { channel: 'teams', externalId: teams, name: 'Algemeen' },
  ]) {
    expect((await h.api({ method: 'POST', url: `/v1/communities/${seeded.community.id}/spaces`, payload })).statusCode).toBe(201);
  }
  return { ...seeded, addresses: { first: seeded.address, second: `whatsapp:${second}`, teams: `teams:${teams}` } };
}

const post = (communityId: string, payload: Record<string, unknown>, token?: string) =>
  h.api({ method: 'POST', url: `/v1/communities/${communityId}/announcements`, payload, ...(token && { token }) });
const get = async (id: string) => (await h.api({ method: 'GET', url: `/v1/announcements/${id}` })).json() as Announcement;
const inMinutes = (minutes: number) => new Date(h.clock.now().getTime() + minutes * 60_000).toISOString();

describe(`announcements over REST (${engine()})`, () => {
  it('goes to every group and channel at once, and shows its delivery per space', async () => {
    const { community: c, addresses } = await community();
    const res = await post(c.id, { text: 'De meetup van donderdag begint om 19:30.' });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json() as Announcement;
    expect(created).toMatchObject({ status: 'sent', delivery: { spaces: 3, pending: 3, delivered: 0 } });

    // The second WhatsApp group refuses it for good; Teams asks to wait a minute.
    h.teams.failNext(1, true, '429 Too Many Requests', 60_000);
    const send = h.whatsapp.port.send;
    h.whatsapp.port.send = async (message) => {
      if (message.address === addresses.second) throw new ChannelSendError('recipient unknown', false);
      return send(message);
    };
    try {
      await h.flush();
    } finally {
      h.whatsapp.port.send = send;
    }

    expect(h.whatsapp.textsTo(addresses.first)).toEqual(['📣 De meetup van donderdag begint om 19:30.']);
    const shown = await get(created.id);
    expect(shown.delivery).toEqual({ spaces: 3, pending: 1, sending: 0, delivered: 1, failed: 1 });
    expect(shown.deliveries).toEqual([
      expect.objectContaining({ name: 'Wijkzorg app-groep', channel: 'whatsapp', status: 'delivered', attempts: 1, lastError: null }),
      expect.objectContaining({ name: 'Wijkzorg Oost', channel: 'whatsapp', status: 'failed', attempts: 1, lastError: 'recipient unknown' }),
      expect.objectContaining({ name: 'Algemeen', channel: 'teams', status: 'pending', attempts: 1, lastError: '429 Too Many Requests' }),
    ]);

    h.clock.advance(61_000);
    await h.flush();
    expect(h.teams.textsTo(addresses.teams)).toEqual(['📣 De meetup van donderdag begint om 19:30.']);
    expect((await get(created.id)).delivery).toMatchObject({ delivered: 2, failed: 1, pending: 0 });
  });

  it('waits for sendAt, then the scheduler sends it once', async () => {
    const { community: c, addresses } = await community();
    const created = (await post(c.id, { text: 'Vergeet de peiling niet!', sendAt: inMinutes(60) })).json() as Announcement;
    expect(created).toMatchObject({ status: 'scheduled', sentAt: null, delivery: { spaces: 0 } });

    await h.core.scheduler.runOnce();
    await h.flush();
    expect(h.whatsapp.textsTo(addresses.first)).toEqual([]);

    h.clock.advance(60 * 60_000);
    await h.core.scheduler.runOnce();
    await h.core.scheduler.runOnce();
    await h.flush();
    expect(h.whatsapp.textsTo(addresses.first)).toEqual(['📣 Vergeet de peiling niet!']);
    expect(h.teams.textsTo(addresses.teams)).toEqual(['📣 Vergeet de peiling niet!']);
    expect(await get(created.id)).toMatchObject({ status: 'sent', sentAt: h.clock.now().toISOString(), delivery: { spaces: 3, delivered: 3 } });
  });

  it('cancels a scheduled announcement before it goes out, and refuses once it went out', async () => {
    const { community: c, addresses } = await community();
    const later = (await post(c.id, { text: 'Gaat niet door', sendAt: inMinutes(30) })).json() as Announcement;
    const cancel = await h.api({ method: 'DELETE', url: `/v1/announcements/${later.id}` });
    expect(cancel.statusCode, cancel.body).toBe(200);
    expect(cancel.json()).toMatchObject({ status: 'cancelled' });
    expectProblem(await h.api({ method: 'DELETE', url: `/v1/announcements/${later.id}` }), 409, 'conflict');

    h.clock.advance(31 * 60_000);
    await h.core.scheduler.runOnce();
    await h.flush();
    expect(h.whatsapp.textsTo(addresses.first)).toEqual([]);
    expect(await get(later.id)).toMatchObject({ status: 'cancelled', sentAt: null });

    const now = (await post(c.id, { text: 'Al verstuurd' })).json() as Announcement;
    expect(expectProblem(await h.api({ method: 'DELETE', url: `/v1/announcements/${now.id}` }), 409, 'conflict').detail).toContain('went out');
  });

  it('is either cancelled or sent when the cancel and its time come together, never both', async () => {
    const { community: c, address } = await seed(h);
    for (let i = 0; i < 6; i++) {
      const text = `Race ${i}`;
      const created = (await post(c.id, { text, sendAt: inMinutes(1) })).json() as Announcement;
      h.clock.advance(60_000);
      // Half the time the cancel starts first, half the time the scheduler.
      const cancel = () => h.api({ method: 'DELETE', url: `/v1/announcements/${created.id}` });
      let res;
      if (i % 2) {
        const cancelling = cancel();
        [res] = await Promise.all([cancelling, h.core.announcements.sendDue()]);
      } else {
        const sending = h.core.announcements.sendDue();
        [res] = await Promise.all([cancel(), sending]);
      }
      await h.flush();
      const shown = await get(created.id);
      const went = h.whatsapp.textsTo(address).filter((m) => m === `📣 ${text}`).length;
      if (res.statusCode === 200) {
        expect(shown).toMatchObject({ status: 'cancelled', sentAt: null, delivery: { spaces: 0 } });
        expect(went).toBe(0);
      } else {
        expectProblem(res, 409, 'conflict');
        expect(shown).toMatchObject({ status: 'sent', delivery: { spaces: 1, delivered: 1 } });
        expect(went).toBe(1);
      }
    }
  });

  it('lists them, latest first, filtered by status', async () => {
    const { community: c } = await community();
    await post(c.id, { text: 'Een' });
    const planned = (await post(c.id, { text: 'Twee', sendAt: inMinutes(10) })).json() as Announcement;
    const dropped = (await post(c.id, { text: 'Drie', sendAt: inMinutes(20) })).json() as Announcement;
    await h.api({ method: 'DELETE', url: `/v1/announcements/${dropped.id}` });
    const list = async (query = '') =>
      ((await h.api({ method: 'GET', url: `/v1/communities/${c.id}/announcements${query}` })).json() as { items: { text: string }[]; total: number }).items.map((a) => a.text);
    expect(await list()).toEqual(['Drie', 'Twee', 'Een']);
    expect(await list('?status=scheduled')).toEqual(['Twee']);
    expect(await list('?status=sent')).toEqual(['Een']);
    expect(await list('?status=cancelled')).toEqual(['Drie']);
    expect(await list('?limit=1&offset=1')).toEqual(['Twee']);
    expect(planned.status).toBe('scheduled');
  });

  it.each([
    ['no text', {}, 'body/text'],
    ['only white space', { text: '   ' }, 'body/text'],
    ['a text too long', { text: 'x'.repeat(4001) }, 'body/text'],
    ['a sendAt that is not a time', { text: 'Hoi', sendAt: 'morgen' }, 'body/sendAt'],
    ['an empty sendAt', { text: 'Hoi', sendAt: '' }, 'body/sendAt'],
    ['an unknown field', { text: 'Hoi', colour: 'red' }, 'body/colour'],
  ])('refuses %s with 400 naming the field', async (_, payload, field) => {
    const { community: c } = await seed(h);
    expectValidation(await post(c.id, payload), field);
  });

  it('refuses a sendAt in the past, and sends nothing', async () => {
    const { community: c, address } = await seed(h);
    expect(expectProblem(await post(c.id, { text: 'Hoi', sendAt: inMinutes(-1) }), 400, 'invalid').detail).toContain('future');
    await h.flush();
    expect(h.whatsapp.textsTo(address)).toEqual([]);
  });

  it("gives a manager token of another community 404 for this one's announcements", async () => {
    const mine = await seed(h);
    const other = await seed(h);
    const token = await managerToken(h, mine.community.id);
    const theirs = (await post(other.community.id, { text: 'Alleen voor ons', sendAt: inMinutes(5) })).json() as Announcement;
    expectProblem(await post(other.community.id, { text: 'Hoi' }, token), 404, 'not-found');
    expectProblem(await h.api({ method: 'GET', url: `/v1/communities/${other.community.id}/announcements`, token }), 404, 'not-found');
    expectProblem(await h.api({ method: 'GET', url: `/v1/announcements/${theirs.id}`, token }), 404, 'not-found');
    expectProblem(await h.api({ method: 'DELETE', url: `/v1/announcements/${theirs.id}`, token }), 404, 'not-found');
    expect((await get(theirs.id)).status).toBe('scheduled');
    expect((await post(mine.community.id, { text: 'Hoi' }, token)).statusCode).toBe(201);
  });
});
