import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../src/core/channel.js';
import { t } from '../../src/core/i18n/index.js';
import { bridgeMessages, outbox } from '../../src/db/schema/index.js';
import { newGroup, outboxTo } from '../helpers/conversation.js';
import { createHarness, groupMessage, seedCommunity, type Harness } from '../helpers/harness.js';

const ANNA = '31611111111@c.us';
const BRAM = '31622222222@c.us';
const CAROLA = 'aad-carola';
let channels = 0;

describe('the community bridge', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  /** A community with two WhatsApp groups and a Teams channel, the bridge on unless told otherwise. */
  async function bridged(options: { language?: 'en' | 'nl'; bridge?: boolean } = {}) {
    const { community, group: g1 } = await seedCommunity(h, { language: options.language ?? 'en' }, newGroup());
    const g2 = newGroup();
    const channel = `19:bridge${++channels}-${community.id.slice(0, 8)}@thread.tacv2`;
    const spaceIds: Record<string, string> = {};
    for (const [ch, externalId, name] of [['whatsapp', g2, 'Tweede groep'], ['teams', channel, 'Algemeen']] as const) {
      const res = await h.api({ method: 'POST', url: `/v1/communities/${community.id}/spaces`, payload: { channel: ch, externalId, name } });
      expect(res.statusCode).toBe(201);
      spaceIds[externalId] = res.json().id;
    }
    const spaces = (await h.api({ method: 'GET', url: `/v1/communities/${community.id}/spaces` })).json().items as { id: string; externalId: string }[];
    spaceIds[g1] = spaces.find((s) => s.externalId === g1)!.id;
    if (options.bridge !== false) {
      const res = await h.api({ method: 'PATCH', url: `/v1/communities/${community.id}`, payload: { bridge: true } });
      expect(res.json().bridge).toMatchObject({ enabled: true, paused: false, scope: 'all' });
    }
    const at = { g1: `whatsapp:${g1}`, g2: `whatsapp:${g2}`, teams: `teams:${channel}` };
    /** Sends a message and everything it queued; returns what each space received. */
    async function send(message: InboundMessage) {
      const before = { g1: h.whatsapp.sent.length, teams: h.teams.sent.length };
      const result = await h.core.receive(message);
      await h.flush();
      const wa = h.whatsapp.sent.slice(before.g1);
      const te = h.teams.sent.slice(before.teams);
      return { result, g1: wa.filter((m) => m.address === at.g1), g2: wa.filter((m) => m.address === at.g2), teams: te };
    }
    const whatsapp = (group: string, sender: string, name: string | undefined, text: string, extra: Partial<InboundMessage> = {}) =>
      send(groupMessage(group, sender, text, { sender: { externalId: sender, ...(name ? { displayName: name } : {}) }, ...extra }));
    const teams = (text: string, extra: Partial<InboundMessage> = {}) =>
      send({ channel: 'teams', externalMessageId: `teams-in-${Math.random()}`, space: { externalId: channel, direct: false }, sender: { externalId: CAROLA, displayName: 'Carola' }, text, ...extra });
    async function memberId(name: string) {
      const items = (await h.api({ method: 'GET', url: `/v1/communities/${community.id}/members` })).json().items as { id: string; displayName: string }[];
      return items.find((m) => m.displayName === name)!.id;
    }
    async function makeManager(name: string) {
      expect((await h.api({ method: 'PATCH', url: `/v1/members/${await memberId(name)}`, payload: { role: 'manager' } })).statusCode).toBe(200);
    }
    return { community, g1, g2, channel, at, spaceIds, send, whatsapp, teams, memberId, makeManager };
  }

  it('relays an ordinary WhatsApp message to the other WhatsApp group and the Teams channel, attributed', async () => {
    const b = await bridged();
    const out = await b.whatsapp(b.g1, ANNA, 'Anna', 'Wie heeft ervaring met valpreventie?');
    expect(out.result.command).toBe('bridged');
    const text = '*Anna*: Wie heeft ervaring met valpreventie?';
    expect(out.g2.map((m) => m.text)).toEqual([text]);
    expect(out.teams.map((m) => [m.address, m.text])).toEqual([[b.at.teams, text]]);
    expect(out.g1).toEqual([]);
  });

  it('names the organisation, never a phone number', async () => {
    const b = await bridged();
    const org = await h.api({ method: 'POST', url: `/v1/communities/${b.community.id}/organisations`, payload: { name: 'Gemeente Utrecht' } });
    await b.whatsapp(b.g1, ANNA, undefined, 'eerste');
    const id = await b.memberId(t('en', 'member.unnamed'));
    await h.api({ method: 'PATCH', url: `/v1/members/${id}`, payload: { organisationId: org.json().id } });
    const out = await b.whatsapp(b.g1, ANNA, undefined, 'Goedemorgen');
    expect(out.teams[0]!.text).toBe(`*${t('en', 'member.unnamed')} (Gemeente Utrecht)*: Goedemorgen`);
    expect(JSON.stringify([...out.g2, ...out.teams])).not.toContain('3161111');
  });

  it('relays Teams to both WhatsApp groups, and never relays commands or the answers to them', async () => {
    const b = await bridged();
    const out = await b.teams('Ik deel morgen de slides');
    expect(out.g1.map((m) => m.text)).toEqual(['*Carola*: Ik deel morgen de slides']);
    expect(out.g2.map((m) => m.text)).toEqual(['*Carola*: Ik deel morgen de slides']);
    const help = await b.whatsapp(b.g1, ANNA, 'Anna', '/help');
    expect(help.g1).toHaveLength(1);
    expect([...help.g2, ...help.teams]).toEqual([]);
    const mentioned = await b.teams('rules', { mentioned: true });
    expect(mentioned.teams).toHaveLength(1);
    expect([...mentioned.g1, ...mentioned.g2]).toEqual([]);
  });

  it('does not relay a message whose platform id is one the bot sent (an echo)', async () => {
    const b = await bridged();
    const out = await b.whatsapp(b.g1, ANNA, 'Anna', 'hallo');
    const copy = out.g2[0]!;
    const [row] = await outboxTo(h, b.at.g2);
    const echo = await b.whatsapp(b.g2, ANNA, 'Anna', copy.text, { externalMessageId: row!.externalId! });
    expect(echo.result.command).toBeUndefined();
    expect([...echo.g1, ...echo.teams]).toEqual([]);
  });

  describe('reply threads', () => {
    it('turns a Teams thread reply into quoted replies in WhatsApp, and a WhatsApp quoted reply into the Teams thread', async () => {
      const b = await bridged();
      const original = groupMessage(b.g1, ANNA, 'Wie komt er dinsdag?', { sender: { externalId: ANNA, displayName: 'Anna' } });
      const first = await b.send(original);
      const teamsCopy = (await outboxTo(h, b.at.teams))[0]!.externalId!;
      const g2Copy = (await outboxTo(h, b.at.g2))[0]!.externalId!;
      expect(first.teams).toHaveLength(1);

      // Carola answers in the thread under the copy in Teams.
      const thread = `${b.at.teams};messageid=${teamsCopy}`;
      const reply = await b.teams('Ik!', { inReplyTo: { externalMessageId: teamsCopy }, replyAddress: thread });
      expect(reply.g1.map((m) => [m.text, m.replyTo])).toEqual([['*Carola*: Ik!', original.externalMessageId]]);
      expect(reply.g2.map((m) => [m.text, m.replyTo])).toEqual([['*Carola*: Ik!', g2Copy]]);

      // Bram quotes the copy in the second group: the Teams copy goes into the same thread.
      const back = await b.whatsapp(b.g2, BRAM, 'Bram', 'Ik ook', { inReplyTo: { externalMessageId: g2Copy, text: '*Anna*: Wie komt er dinsdag?' } });
      expect(back.teams.map((m) => [m.address, m.text])).toEqual([[thread, '*Bram*: Ik ook']]);
      expect(back.g1.map((m) => [m.text, m.replyTo])).toEqual([['*Bram*: Ik ook', original.externalMessageId]]);

      // A reply to a reply in the thread stays in that thread.
      const bramCopy = (await outboxTo(h, thread)).at(-1)!.externalId!;
      const again = await b.teams('Top', { inReplyTo: { externalMessageId: teamsCopy }, replyAddress: thread });
      expect(again.g2[0]!.replyTo).toBe(g2Copy);
      expect(bramCopy).toBeTruthy();
    });

    it('quotes the first line of what a reply answers when it cannot be threaded', async () => {
      const b = await bridged();
      const out = await b.whatsapp(b.g1, ANNA, 'Anna', 'Eens!', { inReplyTo: { externalMessageId: 'not-bridged', text: 'Zullen we vaker afspreken?' } });
      const text = `${t('en', 'bridge.quote', { text: 'Zullen we vaker afspreken?' })}\n*Anna*: Eens!`;
      expect(out.g2.map((m) => [m.text, m.replyTo])).toEqual([[text, undefined]]);
      expect(out.teams.map((m) => [m.address, m.text])).toEqual([[b.at.teams, text]]);
    });
  });

  it('lets a member keep their messages in their own group, in either language', async () => {
    const b = await bridged();
    const off = await b.whatsapp(b.g1, ANNA, 'Anna', '/bridge me off');
    expect(off.g1.map((m) => m.text)).toEqual([t('en', 'bridge.me.off', { name: 'Anna' })]);
    const quiet = await b.whatsapp(b.g1, ANNA, 'Anna', 'alleen voor deze groep');
    expect([...quiet.g2, ...quiet.teams]).toEqual([]);
    // Others are still relayed.
    expect((await b.whatsapp(b.g1, BRAM, 'Bram', 'ik wel')).teams).toHaveLength(1);
    const on = await b.whatsapp(b.g1, ANNA, 'Anna', '/brug mij aan');
    expect(on.g1.map((m) => m.text)).toEqual([t('nl', 'bridge.me.on', { name: 'Anna' })]);
    expect((await b.whatsapp(b.g1, ANNA, 'Anna', 'weer gedeeld')).g2).toHaveLength(1);
  });

  it('lets a manager pause the bridge and turn it back on; a member cannot', async () => {
    const b = await bridged({ language: 'nl' });
    await b.whatsapp(b.g1, ANNA, 'Anna', 'hoi');
    expect((await b.whatsapp(b.g1, ANNA, 'Anna', '/brug pauze')).g1.map((m) => m.text)).toEqual([t('nl', 'bridge.forbidden')]);
    await b.makeManager('Anna');
    expect((await b.whatsapp(b.g1, ANNA, 'Anna', '/brug pauze')).g1.map((m) => m.text)).toEqual([t('nl', 'bridge.paused')]);
    const paused = await b.whatsapp(b.g1, BRAM, 'Bram', 'tijdens de pauze');
    expect([...paused.g2, ...paused.teams]).toEqual([]);
    expect((await h.api({ method: 'GET', url: `/v1/communities/${b.community.id}/bridge` })).json()).toMatchObject({ enabled: true, paused: true });
    expect((await b.whatsapp(b.g1, ANNA, 'Anna', '/brug')).g1[0]!.text).toContain(t('nl', 'bridge.status.paused'));
    expect((await b.whatsapp(b.g1, ANNA, 'Anna', '/bridge on')).g1.map((m) => m.text)).toEqual([t('en', 'bridge.on', { count: 3 })]);
    expect((await b.whatsapp(b.g1, BRAM, 'Bram', 'weer open')).teams).toHaveLength(1);
    expect((await b.whatsapp(b.g1, ANNA, 'Anna', '/brug uit')).g1.map((m) => m.text)).toEqual([t('nl', 'bridge.off')]);
    expect((await b.whatsapp(b.g1, BRAM, 'Bram', 'dicht')).teams).toEqual([]);
  });

  it('turns the bridge on by chat for a community that never had one, and tells where messages go', async () => {
    const b = await bridged({ bridge: false });
    expect((await b.whatsapp(b.g1, ANNA, 'Anna', 'nog niet')).teams).toEqual([]);
    await b.makeManager('Anna');
    expect((await b.whatsapp(b.g1, ANNA, 'Anna', '/bridge on')).g1.map((m) => m.text)).toEqual([t('en', 'bridge.on', { count: 3 })]);
    const status = (await b.whatsapp(b.g1, ANNA, 'Anna', '/bridge')).g1[0]!.text;
    expect(status).toBe([t('en', 'bridge.status.on', { spaces: 'Tweede groep, Algemeen' }), t('en', 'bridge.status.optedIn')].join('\n'));
  });

  it('relays only between chosen pairs of spaces when the scope is pairs', async () => {
    const b = await bridged();
    const url = `/v1/communities/${b.community.id}/bridge`;
    expect((await h.api({ method: 'PATCH', url, payload: { scope: 'pairs' } })).json()).toMatchObject({ enabled: true, scope: 'pairs' });
    const pair = await h.api({ method: 'POST', url: `${url}/pairs`, payload: { spaceIds: [b.spaceIds[b.g1], b.spaceIds[b.channel]] } });
    expect(pair.statusCode, pair.body).toBe(201);
    const out = await b.whatsapp(b.g1, ANNA, 'Anna', 'alleen naar Teams');
    expect(out.teams).toHaveLength(1);
    expect(out.g2).toEqual([]);
    expect((await b.whatsapp(b.g2, BRAM, 'Bram', 'naar niemand')).teams).toEqual([]);
    expect((await h.api({ method: 'GET', url: `${url}/pairs` })).json()).toMatchObject({ total: 1 });
    expect((await h.api({ method: 'POST', url: `${url}/pairs`, payload: { spaceIds: [b.spaceIds[b.channel], b.spaceIds[b.g1]] } })).statusCode).toBe(409);
    expect((await h.api({ method: 'POST', url: `${url}/pairs`, payload: { spaceIds: [b.spaceIds[b.g1], b.spaceIds[b.g1]] } })).statusCode).toBe(400);
    expect((await h.api({ method: 'DELETE', url: `/v1/bridge/pairs/${pair.json().id}` })).statusCode).toBe(204);
    expect((await b.whatsapp(b.g1, ANNA, 'Anna', 'nu nergens heen')).teams).toEqual([]);
  });

  it('purges what it kept of a relayed message after the retention period', async () => {
    const b = await bridged();
    await b.whatsapp(b.g1, ANNA, 'Anna', 'Privé: bel me even');
    const copy = (await outboxTo(h, b.at.g2)).at(-1)!;
    expect(copy.payload.text).toContain('bel me even');
    expect(await h.core.scheduler.runOnce()).toBe(0);
    h.clock.advance(31 * 86_400_000);
    expect(await h.core.scheduler.runOnce()).toBeGreaterThanOrEqual(1);
    const [after] = await h.database.db.select().from(outbox).where(eq(outbox.id, copy.id));
    expect(after!.payload.text).toBe('');
    expect(after!.status).toBe('delivered');
    expect(await h.database.db.select().from(bridgeMessages).where(eq(bridgeMessages.communityId, b.community.id))).toEqual([]);
    // A reply to it now quotes what WhatsApp still shows, instead of threading.
    const late = await b.whatsapp(b.g2, BRAM, 'Bram', 'Gebeld!', { inReplyTo: { externalMessageId: copy.externalId!, text: 'bel me even' } });
    expect(late.g1[0]).toMatchObject({ text: `${t('en', 'bridge.quote', { text: 'bel me even' })}\n*Bram*: Gebeld!` });
    expect(late.g1[0]!.replyTo).toBeUndefined();
  });

  describe('over REST', () => {
    it('refuses unknown properties, a pause while off, and another community’s bridge to a manager token', async () => {
      const b = await bridged({ bridge: false });
      const url = `/v1/communities/${b.community.id}/bridge`;
      expect((await h.api({ method: 'PATCH', url, payload: { on: true } })).statusCode).toBe(400);
      const paused = await h.api({ method: 'PATCH', url, payload: { paused: true } });
      expect(paused.statusCode).toBe(400);
      expect(paused.json().code).toBe('invalid');
      expect((await h.api({ method: 'GET', url: `/v1/communities/${b.community.id}` })).json().bridge).toEqual({ enabled: false, paused: false, pausedAt: null, scope: 'all' });
      const other = await seedCommunity(h, {}, newGroup());
      const token = await h.api({ method: 'POST', url: '/v1/tokens', payload: { name: 'other manager', communityId: other.community.id } });
      const res = await h.api({ method: 'GET', url, token: token.json().token });
      expect(res.statusCode).toBe(404);
      expect((await h.api({ method: 'PATCH', url: `/v1/communities/${b.community.id}`, payload: { bridge: true }, token: token.json().token })).statusCode).toBe(404);
    });
  });
});
