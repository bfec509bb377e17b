import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/core/i18n/index.js';
import { members } from '../../src/db/schema/index.js';
import { directMessage, newGroup, outboxTo, queuePayloads } from '../helpers/conversation.js';
import { createHarness, groupMessage, seedCommunity, type Harness } from '../helpers/harness.js';

const VOTER = '31688888888@c.us';

describe('buttons, poll votes and quoted replies', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  /** Sends a poll to the group the way a feature would, and returns the id the platform gave it. */
  async function sendPoll(group: string) {
    await queuePayloads(h, `whatsapp:${group}`, [
      {
        text: 'Which language?',
        poll: {
          question: 'Which language?',
          options: [
            { label: 'English', command: 'profile language en' },
            { label: 'Nederlands', command: 'profile language nl' },
          ],
        },
      },
    ]);
    await h.flush();
    const sent = h.whatsapp.sent.at(-1)!;
    expect(sent.poll?.options.map((o) => o.label)).toEqual(['English', 'Nederlands']);
    const [row] = await outboxTo(h, `whatsapp:${group}`);
    return row!.externalId!;
  }

  const languageOf = async (id: string) => (await h.database.db.select().from(members).where(eq(members.id, id)))[0]!.language;

  it('a poll vote runs the command of the option chosen, as the voter', async () => {
    const { group, address } = await seedCommunity(h, { language: 'nl' }, newGroup());
    const pollId = await sendPoll(group);
    const vote = groupMessage(group, VOTER, '', { action: { kind: 'poll-vote', pollMessageId: pollId, options: ['English'] } });
    const result = await h.core.receive(vote);
    expect(result).toMatchObject({ status: 'processed', command: 'profile' });
    expect(await languageOf(result.memberId!)).toBe('en');
    await h.flush();
    expect(h.whatsapp.textsTo(address).at(-1)).toBe(t('en', 'profile.language.set'));
  });

  it('a vote taken back, or for a poll it did not send, changes nothing and says nothing', async () => {
    const { group, address } = await seedCommunity(h, {}, newGroup());
    const pollId = await sendPoll(group);
    const before = h.whatsapp.textsTo(address).length;
    const cleared = await h.core.receive(groupMessage(group, VOTER, '', { action: { kind: 'poll-vote', pollMessageId: pollId, options: [] } }));
    const stranger = await h.core.receive(groupMessage(group, VOTER, '', { action: { kind: 'poll-vote', pollMessageId: 'true_120363@g.us_3EB0FFFF', options: ['English'] } }));
    await h.flush();
    expect(cleared).toMatchObject({ status: 'processed' });
    expect(cleared.command).toBeUndefined();
    expect(stranger.command).toBeUndefined();
    expect(await languageOf(cleared.memberId!)).toBeNull();
    expect(h.whatsapp.textsTo(address).length).toBe(before);
  });

  it('a button runs its command as if typed to the bot, without a mention', async () => {
    const { group, address } = await seedCommunity(h, { language: 'en', rules: 'Be kind.' }, newGroup());
    const result = await h.core.receive(groupMessage(group, VOTER, 'ignored text', { action: { kind: 'command', command: 'accept' } }));
    expect(result).toMatchObject({ status: 'processed', command: 'accept' });
    await h.flush();
    expect(h.whatsapp.textsTo(address)).toEqual([t('en', 'accept.done', { name: '31688888888', version: 1 })]);
  });

  it('quotes the message it answers in a group, not in a direct chat nor after a button', async () => {
    const { group, address } = await seedCommunity(h, {}, newGroup());
    const typed = groupMessage(group, VOTER, '/rules');
    await h.core.receive(typed);
    await h.core.receive(groupMessage(group, VOTER, '', { action: { kind: 'command', command: 'rules' } }));
    await h.core.receive(directMessage(VOTER, 'rules'));
    await h.flush();
    const toGroup = h.whatsapp.sent.filter((m) => m.address === address);
    expect(toGroup.map((m) => m.replyTo)).toEqual([typed.externalMessageId, undefined]);
    expect(h.whatsapp.sent.filter((m) => m.address === `whatsapp:${VOTER}`).map((m) => m.replyTo)).toEqual([undefined]);
  });
});
