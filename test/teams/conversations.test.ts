import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { BOT_REMOVED_REASON } from '../../src/core/inbound/channel-events.js';
import { outbox } from '../../src/db/schema/index.js';
import { queueTexts } from '../helpers/conversation.js';
import { communityWithChannel, fixture, freshIds, textOf, useTeams } from './support.js';

const { teams, connector } = useTeams();

type Ids = ReturnType<typeof freshIds>;

/** A recorded payload moved into this test's channel (or personal chat) and connector. */
function inChannel(name: string, ids: Ids, conversationId = ids.channel) {
  const a = fixture(name);
  a.id = ids.activity();
  a.serviceUrl = connector.url;
  a.conversation.id = conversationId;
  if (a.from) a.from.aadObjectId = ids.aad;
  if (a.timestamp) a.timestamp = new Date().toISOString();
  return a;
}

function say(ids: Ids, text: string, channel = ids.channel) {
  const a = inChannel('channel-mention-help', ids, `${channel};messageid=${ids.activity()}`);
  a.text = `<at>Samen</at> ${text}`;
  return a;
}

async function memberId(communityId: string): Promise<string> {
  const res = await teams.h.api({ method: 'GET', url: `/v1/communities/${communityId}/members` });
  const items = (res.json() as { items: { id: string; identities?: { externalId: string }[] }[] }).items;
  if (items.length !== 1) throw new Error(`expected one member, got ${res.body}`);
  return items[0]!.id;
}

describe('conversation updates', () => {
  it('welcomes people added to a linked channel, with the house rules', async () => {
    const ids = freshIds();
    await communityWithChannel(teams.h, ids.channel, { rules: '1. Be kind.\n2. No client data.' });
    const added = inChannel('conversation-update-members-added', ids);
    added.membersAdded[0].name = 'Fatima El Amrani';
    expect((await teams.post(added)).status).toBe(200);
    expect((await teams.post(added)).status).toBe(200);
    await teams.h.flush();
    const texts = connector.textsTo(ids.channel).join('\n');
    expect(texts).toContain('Fatima El Amrani');
    expect(texts).toContain('Be kind.');
    // Sent again by Teams: still one welcome.
    expect(texts.match(/Be kind\./g)).toHaveLength(1);
  });

  it('greets once when installed in a team, and says how a manager links it', async () => {
    const ids = freshIds();
    const install = inChannel('installation-update-add', ids);
    const update = inChannel('conversation-update-bot-added-to-team', ids);
    expect((await teams.post(install)).status).toBe(200);
    expect((await teams.post(update)).status).toBe(200);
    await teams.h.flush();
    const texts = connector.textsTo(ids.channel);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toMatch(/\*\*koppel\*\*|\*\*link\*\*/);
  });

  it('takes a removed member out of the channel without a message', async () => {
    const ids = freshIds();
    await communityWithChannel(teams.h, ids.channel);
    expect((await teams.post(inChannel('conversation-update-members-removed', ids))).status).toBe(200);
    await teams.h.flush();
    expect(connector.textsTo(ids.channel)).toEqual([]);
  });
});

describe('the app uninstalled from a channel', () => {
  it('forgets the channel, parks what waited to go there with the reason, and posts nothing more', async () => {
    const ids = freshIds();
    const other = freshIds();
    const community = await communityWithChannel(teams.h, ids.channel);
    await communityWithChannel(teams.h, other.channel);
    // The channel's reference arrives with a first message; its answer goes out.
    expect((await teams.post(say(ids, 'help'))).status).toBe(200);
    await teams.h.flush();
    expect(connector.textsTo(ids.channel)).toEqual([]);
    const answered = connector.calls.filter((c) => c.conversationId.startsWith(ids.channel)).length;
    expect(answered).toBeGreaterThan(0);

    // A question whose answer has not gone out yet, then the uninstall (sent twice by Teams).
    const waiting = say(ids, 'help');
    expect((await teams.post(waiting)).status).toBe(200);
    expect((await teams.post(say(other, 'help'))).status).toBe(200);
    const uninstall = inChannel('installation-update-remove', ids);
    expect((await teams.post(uninstall)).status).toBe(200);
    expect((await teams.post(uninstall)).status).toBe(200);
    await teams.h.flush();

    expect(connector.calls.filter((c) => c.conversationId.startsWith(ids.channel))).toHaveLength(answered);
    expect(connector.calls.some((c) => c.conversationId.startsWith(other.channel))).toBe(true);
    expect(await teams.h.core.references.get(`teams:${ids.channel}`)).toBeNull();
    const parked = await teams.h.database.db.select().from(outbox).where(eq(outbox.address, `teams:${waiting.conversation.id}`));
    expect(parked).toMatchObject([{ status: 'failed', lastError: BOT_REMOVED_REASON }]);
    const deliveries = await teams.h.api({ method: 'GET', url: `/v1/communities/${community.id}/deliveries?status=failed` });
    expect(deliveries.json().items).toMatchObject([{ lastError: BOT_REMOVED_REASON }]);

    // Something new for the channel waits for a reference (a new install) instead of going out.
    await queueTexts(teams.h, `teams:${ids.channel}`, ['Nieuwe ronde']);
    await teams.h.flush();
    expect(connector.calls.filter((c) => c.conversationId.startsWith(ids.channel))).toHaveLength(answered);
    const [later] = await teams.h.database.db.select().from(outbox).where(eq(outbox.address, `teams:${ids.channel}`));
    expect(later).toMatchObject({ status: 'pending', lastError: expect.stringContaining('no conversation reference') });
  });
});

describe('card buttons', () => {
  it('runs the command of an Action.Submit button as if the member typed it', async () => {
    const ids = freshIds();
    await communityWithChannel(teams.h, ids.channel, { rules: '1. Be kind.' });
    const thread = `${ids.channel};messageid=${ids.activity()}`;
    const submit = inChannel('card-submit-message', ids, thread);
    submit.value = { samen: 'rules' };
    expect((await teams.post(submit)).status).toBe(200);
    await teams.h.flush();
    expect(connector.textsTo(thread).join('\n')).toContain('Be kind.');
  });

  it('answers an adaptiveCard/action invoke with an invoke response, and runs its command', async () => {
    const ids = freshIds();
    const community = await communityWithChannel(teams.h, ids.channel, { rules: '1. Be kind.' });
    await teams.post(say(ids, 'help'));
    const invoke = inChannel('invoke-adaptive-card-action', ids, ids.personal);
    const res = await teams.post(invoke);
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });
    await teams.h.flush();
    // The button said `accept`: the member has now accepted the house rules.
    const member = await teams.h.api({ method: 'GET', url: `/v1/members/${await memberId(community.id)}` });
    expect(member.json()).toMatchObject({ rulesAcceptedVersion: 1 });
  });

  it('answers an invoke it does not know with 501', async () => {
    const ids = freshIds();
    const invoke = inChannel('invoke-adaptive-card-action', ids, ids.personal);
    invoke.name = 'composeExtension/query';
    expect((await teams.post(invoke)).status).toBe(501);
  });
});

describe('linking a conversation from Teams', () => {
  it('lets a manager of the community link a new channel with link <slug>', async () => {
    const ids = freshIds();
    const community = await communityWithChannel(teams.h, ids.channel);
    await teams.post(say(ids, 'help'));
    const id = await memberId(community.id);
    const patched = await teams.h.api({ method: 'PATCH', url: `/v1/members/${id}`, payload: { role: 'manager' } });
    expect(patched.statusCode, patched.body).toBe(200);

    const other = freshIds();
    const newChannel = other.channel;
    const link = say(ids, `link ${community.slug}`, newChannel);
    expect((await teams.post(link)).status).toBe(200);
    await teams.h.flush();
    expect(connector.textsTo(link.conversation.id).join('\n')).toMatch(/Done: this conversation is now part of Wijkzorg Utrecht/);

    const spaces = await teams.h.api({ method: 'GET', url: `/v1/communities/${community.id}/spaces` });
    expect(spaces.body).toContain(newChannel);
  });

  it('refuses link <slug> from a member who is not a manager', async () => {
    const ids = freshIds();
    const community = await communityWithChannel(teams.h, ids.channel);
    await teams.post(say(ids, 'help'));
    const other = freshIds();
    const link = say(ids, `koppel ${community.slug}`, other.channel);
    expect((await teams.post(link)).status).toBe(200);
    await teams.h.flush();
    expect(connector.textsTo(link.conversation.id).map((t) => t.replace(/&quot;/g, '"')).join('\n')).toMatch(new RegExp(community.slug));
    const spaces = await teams.h.api({ method: 'GET', url: `/v1/communities/${community.id}/spaces` });
    expect(spaces.body).not.toContain(other.channel);
  });

  it('links with a one-time code from the manager', async () => {
    const ids = freshIds();
    const community = await communityWithChannel(teams.h, ids.channel);
    const code = await teams.h.api({ method: 'POST', url: `/v1/communities/${community.id}/link-codes` });
    expect(code.statusCode, code.body).toBe(201);
    const stranger = freshIds();
    const link = say(stranger, `link ${(code.json() as { code: string }).code}`);
    expect((await teams.post(link)).status).toBe(200);
    await teams.h.flush();
    expect(connector.textsTo(link.conversation.id).join('\n')).toMatch(/now part of Wijkzorg Utrecht/);
  });
});

describe('replies as Teams shows them', () => {
  it('keeps <placeholders> visible instead of letting Teams read them as HTML', async () => {
    const ids = freshIds();
    await communityWithChannel(teams.h, ids.channel);
    const activity = say(ids, 'help');
    await teams.post(activity);
    await teams.h.flush();
    const [reply] = connector.calls.filter((c) => c.conversationId === activity.conversation.id);
    const text = textOf(reply!.activity);
    expect(text).not.toMatch(/<(?!br>)[a-z-]+>/);
    expect(text).toMatch(/&lt;[a-z-]+&gt;|<br>/);
  });
});
