import { describe, expect, it } from 'vitest';
import { communityWithChannel, fixture, freshIds, useTeams } from './support.js';

const { teams, connector } = useTeams();

/** A channel message that @mentions the bot, as Teams sends it, in a thread of `channel`. */
function channelMessage(ids: ReturnType<typeof freshIds>, text: string, extra: Record<string, unknown> = {}) {
  const a = fixture('channel-mention-help');
  const id = ids.activity();
  a.id = id;
  a.text = `<at>Samen</at> ${text}`;
  a.serviceUrl = connector.url;
  a.conversation.id = `${ids.channel};messageid=${id}`;
  a.from.aadObjectId = ids.aad;
  return { ...a, ...extra };
}

describe('messages from Teams', () => {
  it('answers help with a channel mention in the thread it was asked in', async () => {
    const ids = freshIds();
    await communityWithChannel(teams.h, ids.channel);
    const activity = channelMessage(ids, 'help');
    const res = await teams.post(activity);
    expect(res.status).toBe(200);

    await teams.h.flush();
    const replies = connector.calls.filter((c) => c.conversationId === activity.conversation.id);
    const help = replies.find((c) => String(c.activity.text).includes('**help**'));
    // Teams markdown, bold as Teams shows it, in the thread of the question.
    expect(help?.activity.textFormat).toBe('markdown');
    expect(help?.activity.conversation.id).toBe(activity.conversation.id);
    expect(connector.textsTo(ids.channel)).toEqual([]);
  });

  it('answers a Dutch command in Dutch', async () => {
    const ids = freshIds();
    await communityWithChannel(teams.h, ids.channel);
    const activity = channelMessage(ids, 'hulp', { locale: undefined, entities: fixture('channel-mention-help').entities.slice(0, 1) });
    expect((await teams.post(activity)).status).toBe(200);
    await teams.h.flush();
    expect(connector.textsTo(activity.conversation.id).join('\n')).toContain('**hulp**');
  });

  it('has one effect when Teams sends the same activity twice', async () => {
    const ids = freshIds();
    await communityWithChannel(teams.h, ids.channel);
    await teams.post(channelMessage(ids, 'hello')); // first contact, with its welcome, out of the way
    await teams.h.flush();
    const activity = channelMessage(ids, 'help');
    const [first, second] = await Promise.all([teams.post(activity), teams.post(activity)]);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect((await teams.post(activity)).status).toBe(200);
    await teams.h.flush();
    expect(connector.textsTo(activity.conversation.id).filter((t) => t.includes('**help**'))).toHaveLength(1);
    expect(connector.textsTo(activity.conversation.id)).toHaveLength(1);
  });

  it('answers in a personal chat, in the language Teams reports', async () => {
    const ids = freshIds();
    await communityWithChannel(teams.h, ids.channel);
    // The person becomes a member by writing in the channel first.
    await teams.post(channelMessage(ids, 'help'));
    const dm = fixture('personal-message');
    dm.id = ids.activity();
    dm.serviceUrl = connector.url;
    dm.conversation.id = ids.personal;
    dm.from.aadObjectId = ids.aad;
    expect((await teams.post(dm)).status).toBe(200);
    await teams.h.flush();
    const reply = connector.textsTo(ids.personal).find((t) => t.includes('Eva Jansen'));
    expect(reply).toMatch(/Taal/);
  });

  it('ignores a message in a conversation no community is linked to, but remembers how to reach it', async () => {
    const ids = freshIds();
    const activity = channelMessage(ids, 'help');
    expect((await teams.post(activity)).status).toBe(200);
    await teams.h.flush();
    expect(connector.textsTo(activity.conversation.id)).toEqual([]);
    const stored = await teams.h.core.references.get(`teams:${ids.channel}`);
    expect(stored).toMatchObject({ serviceUrl: connector.url, conversation: { id: ids.channel, tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47' } });
  });
});

describe('malformed requests', () => {
  const bad: [string, unknown][] = [
    ['an array', [1, 2]],
    ['no conversation', { type: 'message', id: 'x', from: { id: 'u' }, serviceUrl: 'https://smba.trafficmanager.net/emea/' }],
    ['no serviceUrl', { type: 'message', id: 'x', from: { id: 'u' }, conversation: { id: 'c' } }],
    ['a serviceUrl that is no URL', { type: 'message', id: 'x', from: { id: 'u' }, conversation: { id: 'c' }, serviceUrl: 'not a url' }],
    ['no id', { type: 'message', from: { id: 'u' }, conversation: { id: 'c' }, serviceUrl: 'https://x.example/' }],
    ['a text too long', { type: 'message', id: 'x', from: { id: 'u' }, conversation: { id: 'c' }, serviceUrl: 'https://x.example/', text: 'a'.repeat(50_000) }],
    ['members that are not accounts', { type: 'conversationUpdate', id: 'x', from: { id: 'u' }, conversation: { id: 'c' }, serviceUrl: 'https://x.example/', membersAdded: ['u'] }],
  ];
  it.each(bad)('refuses %s with 400 problem+json', async (_name, body) => {
    const res = await teams.post(body);
    expect(res.status).toBe(400);
    expect(res.contentType).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 400, code: 'invalid-activity', title: 'Bad Request' });
  });

  it('refuses a body that is not JSON with 400, and an oversized one with 413', async () => {
    const broken = await teams.post('{"type": "message",');
    expect(broken.status).toBe(400);
    expect(broken.contentType).toMatch(/^application\/problem\+json/);
    const huge = await teams.post({ type: 'message', text: 'x'.repeat(300 * 1024) });
    expect(huge.status).toBe(413);
    expect(huge.contentType).toMatch(/^application\/problem\+json/);
  });
});

describe('local mode', () => {
  it('refuses callers from other machines with 401', async () => {
    const res = await teams.h.app.inject({
      method: 'POST',
      url: '/api/messages',
      remoteAddress: '10.1.2.3',
      payload: fixture('personal-message'),
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'unauthorized' });
  });

  it('tells an admin it runs in local mode, and why', async () => {
    const res = await teams.h.api({ method: 'GET', url: '/v1/channels/teams' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ state: 'local', detail: expect.stringContaining('MICROSOFT_APP_ID') });
  });
});
