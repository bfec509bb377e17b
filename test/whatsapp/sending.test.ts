import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { outbox } from '../../src/db/schema/index.js';
import { outboxTo, queuePayloads, queueTexts } from '../helpers/conversation.js';
import { engine } from '../helpers/database.js';
import { seedCommunity } from '../helpers/harness.js';
import { message, messageWith, vote } from './fake-client.js';
import { createWhatsAppHarness, TEST_CONFIG, type WhatsAppHarness } from './setup.js';

const GROUP = '120363000000000001@g.us';
const groups = Array.from({ length: 5 }, (_, i) => `12036310000000000${i}@g.us`);

/** Gaps between consecutive sends, overall and per chat. */
function gaps(sent: { chatId: string; at: number }[]) {
  const overall = sent.slice(1).map((s, i) => s.at - sent[i]!.at);
  const perChat: number[] = [];
  const last = new Map<string, number>();
  for (const s of sent) {
    const before = last.get(s.chatId);
    if (before !== undefined) perChat.push(s.at - before);
    last.set(s.chatId, s.at);
  }
  return { overall, perChat };
}

describe(`WhatsApp: sending (${engine()})`, () => {
  let w: WhatsAppHarness;
  beforeAll(async () => {
    w = await createWhatsAppHarness({ coldDmDailyCap: 2 });
    await seedCommunity(w.h, { language: 'en', rules: '1. Be kind.' }, GROUP);
  });
  afterAll(() => w.close());
  beforeEach(async () => {
    await w.drain();
    await w.h.database.db.delete(outbox);
    w.client.sent.length = 0;
    // Each test starts well clear of the last send.
    await w.vt.advance(60_000);
  });

  it('spaces messages at the configured pace with jitter, and further apart within one chat', async () => {
    for (let round = 0; round < 4; round++) {
      for (const group of groups) await queueTexts(w.h, `whatsapp:${group}`, [`bericht ${round} aan ${group}`]);
    }
    await w.drain();
    expect(w.client.sent).toHaveLength(20);
    const { overall, perChat } = gaps(w.client.sent);
    // pace 1,000 ms + jitter up to 500 ms (random() = 0.5 here: 250 ms)
    expect(Math.min(...overall)).toBeGreaterThanOrEqual(TEST_CONFIG.paceMs);
    expect(Math.min(...perChat)).toBeGreaterThanOrEqual(TEST_CONFIG.chatIntervalMs);
    // ...and not much slower than the pace asks: 20 messages at 1.25 s. (Fake time runs ahead of
    // the database's real round trips here, so the bound is loose; bench/whatsapp measures it.)
    const makespan = w.client.sent.at(-1)!.at - w.client.sent[0]!.at;
    expect(makespan).toBeLessThan(2 * 20 * 1_250);
    // Each chat sees its messages in the order they were written.
    expect(w.client.textsTo(groups[0]!)).toEqual([0, 1, 2, 3].map((r) => `bericht ${r} aan ${groups[0]}`));
  });

  it('defers rather than fails a message while WhatsApp is not connected, and sends it once it is', async () => {
    w.client.emit('change_state', 'UNPAIRED'); // the phone unlinked us; `disconnected` may never come
    expect(w.adapter.port.status().state).toBe('disconnected');
    await queueTexts(w.h, `whatsapp:${GROUP}`, ['na de storing']);
    await w.vt.drive(w.h.flush());
    const [row] = await outboxTo(w.h, `whatsapp:${GROUP}`);
    expect(row).toMatchObject({ status: 'pending', attempts: 0 });
    expect(row!.lastError).toContain('not connected');

    await w.vt.advance(10_000); // the reconnect back-off: a new client, ready again
    expect(w.adapter.port.status().state).toBe('ready');
    await w.drain();
    expect(w.client.textsTo(GROUP)).toEqual(['na de storing']);
  });

  it('caps direct messages to people who never wrote to the bot, per day, across a restart', async () => {
    const cold = ['31650000001@c.us', '31650000002@c.us', '31650000003@c.us'];
    for (const person of cold) await queueTexts(w.h, `whatsapp:${person}`, [`hallo ${person}`]);
    // Someone who wrote to the bot first is not cold: no cap for them.
    await w.emit('message', messageWith('direct-message', { from: '31650000009@c.us', body: 'hoi' }));
    await queueTexts(w.h, 'whatsapp:31650000009@c.us', ['extra bericht']);
    await w.vt.drive(w.h.flush());
    await w.vt.advance(10_000);
    await w.vt.drive(w.h.flush());

    const reached = w.client.sent.map((s) => s.chatId);
    expect(reached.filter((c) => cold.includes(c))).toHaveLength(2);
    expect(reached).toContain('31650000009@c.us');
    const left = cold.find((c) => !reached.includes(c))!;
    const [waiting] = await outboxTo(w.h, `whatsapp:${left}`);
    expect(waiting).toMatchObject({ status: 'pending', attempts: 0 });
    expect(waiting!.lastError).toContain('direct messages');

    // A restart does not reset the count.
    await w.restartAdapter({ coldDmDailyCap: 2 });
    await w.vt.advance(60_000);
    await w.vt.drive(w.h.flush());
    expect(w.client.textsTo(left)).toEqual([]);

    // The next day it goes.
    await w.drain();
    expect(w.client.textsTo(left)).toEqual([`hallo ${left}`]);
  });

  it('sends a poll as a native WhatsApp poll, and runs the chosen option when someone votes', async () => {
    await queuePayloads(w.h, `whatsapp:${GROUP}`, [
      {
        text: 'Will you come? 1. Yes (/rules) 2. No (/help)',
        poll: { question: 'Will you come?', options: [{ label: 'Yes', command: 'rules' }, { label: 'No', command: 'help' }] },
      },
    ]);
    await w.drain();
    const poll = w.client.sent.at(-1)!;
    expect(typeof poll.content).not.toBe('string');
    expect(poll.content).toMatchObject({ pollName: 'Will you come?', pollOptions: [{ name: 'Yes' }, { name: 'No' }], options: { allowMultipleAnswers: false } });

    const before = w.client.textsTo(GROUP).length;
    await w.emit('vote_update', vote(poll.id, ['Yes']));
    await w.drain();
    expect(w.client.textsTo(GROUP).slice(before).join('\n')).toContain('Be kind'); // the rules, as the voter asked
    const answered = w.client.textsTo(GROUP).length;

    // The same vote delivered again: no second answer.
    await w.emit('vote_update', vote(poll.id, ['Yes']));
    await w.drain();
    expect(w.client.textsTo(GROUP)).toHaveLength(answered);

    // vote_update is unreliable: typing the option's command works the same.
    await w.emit('message', messageWith('group-message', { body: '/rules' }));
    await w.drain();
    expect(w.client.textsTo(GROUP).slice(answered).join('\n')).toContain('Be kind');
  });

  it('names the options of a vote whatsapp-web.js could not name, from the poll it sent', async () => {
    await queuePayloads(w.h, `whatsapp:${GROUP}`, [{ text: 'Poll', poll: { question: 'Q?', options: [{ label: 'Yes', command: 'rules' }, { label: 'No', command: 'help' }] } }]);
    await w.drain();
    const poll = w.client.sent.at(-1)!;
    await w.restartAdapter(); // the names are kept in the database, not only in memory
    const before = w.client.textsTo(GROUP).length;
    await w.emit('vote_update', vote(poll.id, [], { selectedOptions: [{ name: undefined, localId: 0 }], parentMessage: null, interractedAtTs: 99 }));
    await w.drain();
    expect(w.client.textsTo(GROUP).slice(before).join('\n')).toContain('Be kind');
  });

  it('writes out the actions a text does not name yet, one numbered line each', async () => {
    await queuePayloads(w.h, `whatsapp:${GROUP}`, [{ text: 'Kom je?', actions: [{ label: 'Ja', command: '/rsvp 3 yes' }, { label: 'Nee', command: '/rsvp 3 no' }] }]);
    await w.drain();
    expect(w.client.textsTo(GROUP).at(-1)).toBe('Kom je?\n\n1. Ja — /rsvp 3 yes\n2. Nee — /rsvp 3 no');
  });

  it('retries a send WhatsApp Web dropped, and gives up on a chat that does not exist', async () => {
    // One at a time: the fake client's failures go to whichever send comes first.
    w.client.sendFailures.push(new Error('Protocol error (Runtime.callFunctionOn): Target closed.'));
    await queueTexts(w.h, `whatsapp:${GROUP}`, ['opnieuw']);
    await w.drain();
    expect(w.client.textsTo(GROUP)).toEqual(['opnieuw']);
    w.client.sendFailures.push(new Error('Evaluation failed: Error: wid error: invalid wid'));
    await queueTexts(w.h, 'whatsapp:999@c.us', ['nergens']);
    await w.drain();
    const [failed] = await outboxTo(w.h, 'whatsapp:999@c.us');
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    expect(failed!.lastError).toContain('invalid wid');
  });

  it('sends a reply unquoted when the quoted message is gone from WhatsApp Web', async () => {
    const msg = message('group-message', { id: { ...message('group-message').id, _serialized: 'false_gone_QUOTE' } });
    w.client.sendFailures.push(new Error('Evaluation failed: Error: Could not get the quoted message.'));
    await w.emit('message', msg);
    await w.drain();
    expect(w.client.textsTo(GROUP).at(-1)).toContain('Commands for');
    expect(w.client.sent.at(-1)!.options).toEqual({});
  });
});
