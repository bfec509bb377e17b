import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTeamsAdapter, loadTeamsConfig } from '../../adapters/teams/index.js';
import type { WaMessage } from '../../adapters/whatsapp/client.js';
import { createWhatsAppAdapter, type WhatsAppAdapter } from '../../adapters/whatsapp/index.js';
import type { ChannelAdapter } from '../../src/adapter.js';
import { t } from '../../src/core/i18n/index.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { fixture as teamsFixture, startFakeConnector, textOf, type FakeConnector } from '../teams/support.js';
import { FakeWhatsAppClient, messageWith } from '../whatsapp/fake-client.js';
import { TEST_CONFIG, until } from '../whatsapp/setup.js';

const ANNA = '31611111111@c.us';
const BRAM = '31622222222@c.us';
const BOT_ID = '28:00000000-0000-0000-0000-0000000000b0';
/** The bridge's file limit in this test: 1 KB. */
const MEDIA_MAX = 1_024;

let h: Harness;
let connector: FakeConnector;
let whatsapp: WhatsAppAdapter;
const clients: FakeWhatsAppClient[] = [];
const client = () => clients.at(-1)!;
let base = '';
let n = 0;

beforeAll(async () => {
  connector = await startFakeConnector();
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  h = await createHarness({
    adapters: (core): ChannelAdapter[] => {
      whatsapp = createWhatsAppAdapter({
        // No pacing here: these tests are about what crosses, the pacer has its own.
        config: { ...TEST_CONFIG, paceMs: 0, jitterMs: 0, chatIntervalMs: 0 },
        dataDir: '/nonexistent',
        core,
        logger,
        createClient: () => {
          const c = new FakeWhatsAppClient(Date.now);
          clients.push(c);
          return c;
        },
        terminal: null,
        random: () => 0,
        mediaMaxBytes: MEDIA_MAX,
      });
      const teams = createTeamsAdapter({ config: loadTeamsConfig({ TEAMS_APP_RATE_PER_SECOND: '10000' }), core, logger, conversationPerSecond: 10_000, conversationPer30s: 10_000 });
      return [whatsapp, teams];
    },
  });
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  await until(() => whatsapp.port.status().state === 'ready', 'WhatsApp ready');
});
afterAll(async () => {
  await h.close();
  await connector.close();
});

/** A community with two WhatsApp groups and a Teams channel, bridged. */
async function community() {
  const k = ++n;
  const created = await h.api({ method: 'POST', url: '/v1/communities', payload: { name: 'Wijkzorg Utrecht', slug: `brug-${k}`, language: 'en', bridge: true } });
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json().id as string;
  const g1 = `12036311100000${k}@g.us`;
  const g2 = `12036322200000${k}@g.us`;
  const channel = `19:brug${k}@thread.tacv2`;
  for (const payload of [
    { channel: 'whatsapp', externalId: g1, name: 'Groep Noord' },
    { channel: 'whatsapp', externalId: g2, name: 'Groep Zuid' },
    { channel: 'teams', externalId: channel, name: 'Algemeen', serviceUrl: connector.url, tenantId: 'tenant-1' },
  ]) {
    expect((await h.api({ method: 'POST', url: `/v1/communities/${id}/spaces`, payload })).statusCode).toBe(201);
  }
  return { id, g1, g2, channel };
}

/** A WhatsApp message arrives; resolves once its effects were sent. */
async function fromWhatsApp(msg: WaMessage) {
  client().emit('message', msg);
  await whatsapp.idle();
  await h.flush();
}

/** A Teams channel message without an @mention (RSC delivers those), in a thread or as a new post. */
async function fromTeams(channel: string, text: string, thread?: string, extra: Record<string, unknown> = {}) {
  const a = teamsFixture('channel-mention-help');
  const id = `${Date.now()}${++n}`;
  Object.assign(a, { id, text, entities: [], serviceUrl: connector.url, ...extra });
  a.conversation.id = `${channel};messageid=${thread ?? id}`;
  const res = await fetch(`${base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(a) });
  expect(res.status).toBe(200);
  await h.flush();
  return a;
}

const waText = (chatId: string) => client().textsTo(chatId);
const teamsCalls = (prefix: string) => connector.calls.filter((c) => c.conversationId.startsWith(prefix));

describe('the bridge between the WhatsApp and Teams adapters', () => {
  it('carries a WhatsApp message to the other group and the Teams channel, and a Teams message to both groups', async () => {
    const c = await community();
    await fromWhatsApp(messageWith('group-message', { from: c.g1, author: ANNA, body: 'Wie heeft er ervaring met valpreventie?' }));
    expect(waText(c.g2)).toEqual(['*Anna de Vries*: Wie heeft er ervaring met valpreventie?']);
    expect(waText(c.g1)).toEqual([]);
    expect(teamsCalls(c.channel).map((call) => [call.conversationId, textOf(call.activity)])).toEqual([[c.channel, '**Anna de Vries**: Wie heeft er ervaring met valpreventie?']]);

    const post = await fromTeams(c.channel, 'Ik, bel me maar');
    const name = post.from.name as string;
    expect(waText(c.g1)).toEqual([`*${name}*: Ik, bel me maar`]);
    expect(waText(c.g2).at(-1)).toBe(`*${name}*: Ik, bel me maar`);
    // The bot itself says nothing in Teams about an ordinary message.
    expect(teamsCalls(c.channel)).toHaveLength(1);
  });

  it('keeps a reply thread in both directions', async () => {
    const c = await community();
    const original = messageWith('group-message', { from: c.g1, author: ANNA, body: 'Zullen we dinsdag afspreken?' });
    await fromWhatsApp(original);
    const teamsCopy = (await (async () => teamsCalls(c.channel).at(-1)!)());
    const teamsCopyId = `sent-${connector.calls.indexOf(teamsCopy) + 1}`;
    const g2Copy = client().sent.filter((s) => s.chatId === c.g2).at(-1)!.id;

    // Teams: a reply in the thread under the copy → quoted replies in both groups.
    await fromTeams(c.channel, 'Dinsdag past mij', teamsCopyId);
    const g1Reply = client().sent.filter((s) => s.chatId === c.g1).at(-1)!;
    expect(g1Reply.options?.quotedMessageId).toBe(original.id._serialized);
    expect(client().sent.filter((s) => s.chatId === c.g2).at(-1)!.options?.quotedMessageId).toBe(g2Copy);

    // WhatsApp: Bram quotes the copy in his group → a reply in the Teams thread of the original.
    const reply = {
      ...messageWith('group-message', { from: c.g2, author: BRAM, body: 'Ik ook', notifyName: 'Bram' }),
      hasQuotedMsg: true,
      getQuotedMessage: async () => ({ id: { _serialized: g2Copy }, body: '*Anna de Vries*: Zullen we dinsdag afspreken?' }),
    };
    await fromWhatsApp(reply);
    const threaded = teamsCalls(c.channel).at(-1)!;
    expect(threaded.conversationId).toBe(`${c.channel};messageid=${teamsCopyId}`);
    expect(textOf(threaded.activity)).toBe('**Bram**: Ik ook');
  });

  it('carries a photo within the limit to Teams and the other group, and announces one over the limit', async () => {
    const c = await community();
    const small = Buffer.from('tiny jpeg').toString('base64');
    const photo = {
      ...messageWith('group-message', { from: c.g1, author: ANNA, body: 'De nieuwe folder' }),
      type: 'image',
      hasMedia: true,
      _data: { notifyName: 'Anna de Vries', size: 9 },
      downloadMedia: async () => ({ mimetype: 'image/jpeg', data: small, filename: null }),
    };
    await fromWhatsApp(photo);
    const [post] = teamsCalls(c.channel);
    expect(post!.activity.attachments).toEqual([{ contentType: 'image/jpeg', contentUrl: `data:image/jpeg;base64,${small}` }]);
    expect(post!.activity.text).toBe('**Anna de Vries**: De nieuwe folder');
    const sent = client().sent.filter((s) => s.chatId === c.g2).at(-1)!;
    expect(sent.content).toMatchObject({ mimetype: 'image/jpeg', data: small });
    expect(sent.options?.caption).toBe('*Anna de Vries*: De nieuwe folder');

    let downloaded = false;
    const large = {
      ...messageWith('group-message', { from: c.g1, author: ANNA, body: '' }),
      type: 'image',
      hasMedia: true,
      _data: { notifyName: 'Anna de Vries', size: MEDIA_MAX + 1 },
      downloadMedia: async () => ((downloaded = true), { mimetype: 'image/jpeg', data: 'x'.repeat(2 * MEDIA_MAX) }),
    };
    await fromWhatsApp(large);
    const notice = t('en', 'bridge.media.photo', { name: 'Anna de Vries', channel: 'WhatsApp' });
    expect(downloaded).toBe(false);
    expect(textOf(teamsCalls(c.channel).at(-1)!.activity)).toBe(notice);
    expect(waText(c.g2).at(-1)).toBe(notice);
  });

  it('announces a Teams image in WhatsApp (its bytes stay in Teams)', async () => {
    const c = await community();
    const post = await fromTeams(c.channel, '', undefined, { attachments: [{ contentType: 'image/png', contentUrl: 'https://smba.example/v3/attachments/1/views/original' }] });
    expect(waText(c.g1)).toEqual([t('en', 'bridge.media.photo', { name: post.from.name, channel: 'Teams' })]);
  });

  it('carries an edit and a deletion to the copies', async () => {
    const c = await community();
    const original = messageWith('group-message', { from: c.g1, author: ANNA, body: 'Afspraak om 10 uur' });
    await fromWhatsApp(original);
    const g2Copy = client().sent.filter((s) => s.chatId === c.g2).at(-1)!.id;
    const teamsCopyId = `sent-${connector.calls.indexOf(teamsCalls(c.channel).at(-1)!) + 1}`;

    client().emit('message_edit', { ...original, body: 'Afspraak om 11 uur' }, 'Afspraak om 11 uur', 'Afspraak om 10 uur');
    await whatsapp.idle();
    await h.flush();
    expect(client().changes).toContainEqual({ id: g2Copy, kind: 'edit', text: '*Anna de Vries*: Afspraak om 11 uur' });
    const put = teamsCalls(c.channel).at(-1)!;
    expect([put.method, put.replyToId, textOf(put.activity)]).toEqual(['PUT', teamsCopyId, '**Anna de Vries**: Afspraak om 11 uur']);

    client().emit('message_revoke_everyone', { ...original, type: 'revoked', body: '' }, original);
    await whatsapp.idle();
    await h.flush();
    expect(client().changes).toContainEqual({ id: g2Copy, kind: 'delete', everyone: true });
    expect(teamsCalls(c.channel).at(-1)).toMatchObject({ method: 'DELETE', replyToId: teamsCopyId });
  });

  it('carries a Teams edit to the WhatsApp copies', async () => {
    const c = await community();
    const post = await fromTeams(c.channel, 'Vergadering in zaal 2');
    const copies = client().sent.filter((s) => s.chatId === c.g1 || s.chatId === c.g2).map((s) => s.id);
    expect(copies).toHaveLength(2);
    const edit = { ...post, type: 'messageUpdate', text: 'Vergadering in zaal 3', channelData: { ...post.channelData, eventType: 'editMessage' } };
    const res = await fetch(`${base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(edit) });
    expect(res.status).toBe(200);
    await h.flush();
    const edits = client().changes.filter((ch) => copies.includes(ch.id));
    expect(edits.map((e) => [e.kind, e.text])).toEqual([
      ['edit', `*${post.from.name}*: Vergadering in zaal 3`],
      ['edit', `*${post.from.name}*: Vergadering in zaal 3`],
    ]);
  });

  it('keeps an opted-out member\'s messages in their group, and nothing crosses while paused', async () => {
    const c = await community();
    await fromWhatsApp(messageWith('group-message', { from: c.g1, author: ANNA, body: '/brug mij uit' }));
    expect(waText(c.g1)).toEqual([t('nl', 'bridge.me.off', { name: 'Anna de Vries' })]);
    await fromWhatsApp(messageWith('group-message', { from: c.g1, author: ANNA, body: 'alleen hier' }));
    expect(waText(c.g2)).toEqual([]);
    expect(teamsCalls(c.channel)).toEqual([]);

    expect((await h.api({ method: 'PATCH', url: `/v1/communities/${c.id}/bridge`, payload: { paused: true } })).json()).toMatchObject({ enabled: true, paused: true });
    await fromWhatsApp(messageWith('group-message', { from: c.g1, author: BRAM, body: 'tijdens de pauze', notifyName: 'Bram' }));
    await fromTeams(c.channel, 'ook tijdens de pauze');
    expect(waText(c.g2)).toEqual([]);
    expect(teamsCalls(c.channel)).toEqual([]);

    await h.api({ method: 'PATCH', url: `/v1/communities/${c.id}/bridge`, payload: { paused: false } });
    await fromWhatsApp(messageWith('group-message', { from: c.g1, author: BRAM, body: 'weer open', notifyName: 'Bram' }));
    expect(waText(c.g2)).toEqual(['*Bram*: weer open']);
  });

  // A hundred messages and their echoes through both real adapters: slow on a loaded machine.
  it('never echoes: 100 messages, every copy fed back to the bot as its platform would, still one copy each', { timeout: 120_000 }, async () => {
    const c = await community();
    const waBefore = client().sent.length;
    const teamsBefore = connector.calls.length;
    for (let i = 0; i < 50; i++) client().emit('message', messageWith('group-message', { from: c.g1, author: ANNA, body: `wa ${i}` }));
    await whatsapp.idle();
    for (let i = 0; i < 50; i++) await fromTeams(c.channel, `teams ${i}`);
    await h.flush();
    const waSent = client().sent.slice(waBefore);
    const teamsSent = connector.calls.slice(teamsBefore);
    expect(waSent).toHaveLength(150); // 50 to the other group, 50 × 2 from Teams
    expect(teamsSent).toHaveLength(50);

    // What the bot sent comes back: WhatsApp reports its own messages (fromMe), Teams posts by the bot.
    for (const s of waSent) {
      client().emit('message', { ...messageWith('group-message', { from: s.chatId, author: '31600000000@c.us', body: String(s.content), id: s.id.split('_').at(-1) }), fromMe: true, id: { fromMe: true, remote: s.chatId, _serialized: s.id } });
    }
    await whatsapp.idle();
    for (const call of teamsSent) {
      await fromTeams(c.channel, textOf(call.activity), undefined, { from: { id: BOT_ID, name: 'Samen' } });
    }
    await h.flush();
    expect(client().sent.length - waBefore).toBe(150);
    expect(connector.calls.length - teamsBefore).toBe(50);
    const texts = waSent.map((s) => `${s.chatId} ${String(s.content)}`);
    expect(new Set(texts).size).toBe(150);
  });
});
