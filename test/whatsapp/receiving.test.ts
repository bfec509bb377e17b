import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundMessages } from '../../src/db/schema/index.js';
import { engine } from '../helpers/database.js';
import { seedCommunity } from '../helpers/harness.js';
import { BOT, message, messageWith, notification } from './fake-client.js';
import { createWhatsAppHarness, type WhatsAppHarness } from './setup.js';

const GROUP = '120363000000000001@g.us';

describe(`WhatsApp: receiving (${engine()})`, () => {
  let w: WhatsAppHarness;
  let community: { id: string; slug: string };
  beforeAll(async () => {
    w = await createWhatsAppHarness();
    ({ community } = await seedCommunity(w.h, { language: 'en', rules: '1. Be kind.\n2. No client data.' }, GROUP));
  });
  afterAll(() => w.close());

  /** The client delivers a message; returns what the bot then sent to that chat. */
  async function deliver(msg: ReturnType<typeof message>): Promise<string[]> {
    const chat = msg.from;
    const before = w.client.textsTo(chat).length;
    await w.emit('message', msg);
    await w.drain();
    return w.client.textsTo(chat).slice(before);
  }

  it('answers a command in a linked group, quoting the message it answers', async () => {
    const msg = message('group-message');
    const replies = await deliver(msg);
    expect(replies.join('\n')).toContain('Commands for Wijkzorg Utrecht');
    const sent = w.client.sent.find((s) => typeof s.content === 'string' && s.content.includes('Commands for'))!;
    expect(sent.chatId).toBe(GROUP);
    expect(sent.options?.quotedMessageId).toBe(msg.id._serialized);
  });

  it('names the member by their push name, never by their number', async () => {
    const members = await w.h.api({ method: 'GET', url: `/v1/communities/${community.id}/members` });
    const anna = (members.json().items as { displayName: string | null }[]).map((m) => m.displayName);
    expect(anna).toContain('Anna de Vries');

    await deliver(messageWith('group-message', { author: '31644444444@c.us', notifyName: '+31 6 4444 4444', body: '/help' }));
    const after = await w.h.api({ method: 'GET', url: `/v1/communities/${community.id}/members` });
    const names = JSON.stringify(after.json());
    expect(names).not.toContain('4444 4444');
  });

  it('answers a command in a direct chat with the bot, without a slash', async () => {
    const msg = message('direct-message');
    const replies = await deliver(msg);
    expect(replies.length).toBeGreaterThan(0);
    expect(w.client.sent.at(-1)!.chatId).toBe('31622222222@c.us');
    // Someone who wrote to the bot is never a cold contact: the note survives a restart.
    expect(await w.h.core.references.get('whatsapp:31622222222@c.us')).toMatchObject({ wroteToBot: true });
  });

  it("ignores the bot's own messages, status updates and media", async () => {
    const sentBefore = w.client.sent.length;
    await w.emit('message', message('own-message'));
    await w.emit('message', message('status-broadcast'));
    // A photo whose caption happens to read like a command: not a text message.
    await w.emit('message', { ...messageWith('group-message', { body: '/help', id: 'IMAGE1' }), type: 'image' });
    await w.drain();
    expect(w.client.sent.length).toBe(sentBefore);
    const rows = await w.h.database.db.select().from(inboundMessages).where(eq(inboundMessages.externalId, message('own-message').id._serialized));
    expect(rows).toHaveLength(0);
  });

  it('has one effect for a message delivered twice', async () => {
    const msg = messageWith('group-message', { body: '/rules' });
    const first = await deliver(msg);
    const second = await deliver(msg);
    expect(first.filter((r) => r.includes('Be kind'))).toHaveLength(1);
    expect(second).toEqual([]);
  });

  it('treats an @lid sender as an identity of its own and hears an @mention by the bot\'s @lid', async () => {
    const replies = await deliver(message('lid-group-message'));
    expect(replies.join('\n')).toContain('Be kind'); // "@<bot lid> rules" read as "rules"
    const members = await w.h.api({ method: 'GET', url: `/v1/communities/${community.id}/members` });
    expect(JSON.stringify(members.json())).toContain('Cor');
  });

  it('stays silent in a group that is not linked, until it is linked from inside with a code', async () => {
    const other = '120363000000000099@g.us';
    expect(await deliver(messageWith('group-message', { from: other, body: '/help' }))).toEqual([]);

    const code = await w.h.api({ method: 'POST', url: `/v1/communities/${community.id}/link-codes` });
    expect(code.statusCode).toBe(201);
    const linked = await deliver(messageWith('group-message', { from: other, body: `/link ${code.json().code}` }));
    expect(linked.join('\n')).toContain('Wijkzorg Utrecht');

    expect((await deliver(messageWith('group-message', { from: other, body: '/help' }))).join('\n')).toContain('Commands for');
    const spaces = await w.h.api({ method: 'GET', url: `/v1/communities/${community.id}/spaces` });
    // The group's own name came along with the link command.
    expect(spaces.json().items).toEqual(expect.arrayContaining([expect.objectContaining({ externalId: other, name: 'Wijkzorg app-groep' })]));
  });

  it('welcomes someone who joins the group with the house rules', async () => {
    const before = w.client.textsTo(GROUP).length;
    await w.emit('group_join', notification('group-join'));
    await w.drain();
    const welcome = w.client.textsTo(GROUP).slice(before).join('\n');
    expect(welcome).toContain('Dewi');
    expect(welcome).toContain('Be kind');
    expect(welcome).not.toContain('31633333333');
  });

  it('greets a group the bot is added to and says how to link it', async () => {
    const group = '120363000000000077@g.us';
    await w.emit('group_join', notification('group-join', { chatId: group, id: { _serialized: `false_${group}_BOTADDED` }, recipientIds: [BOT] }));
    await w.drain();
    expect(w.client.textsTo(group).join('\n')).toMatch(/koppel|link/i);
  });

  it('records a member leaving the group', async () => {
    await w.emit('group_leave', notification('group-leave'));
    const rows = await w.h.database.db.select().from(inboundMessages).where(eq(inboundMessages.externalId, `event:${notification('group-leave').id._serialized}`));
    expect(rows).toHaveLength(1);
  });
});
