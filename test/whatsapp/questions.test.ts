import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/core/i18n/index.js';
import { engine } from '../helpers/database.js';
import { seedCommunity } from '../helpers/harness.js';
import { messageWith } from './fake-client.js';
import { createWhatsAppHarness, type WhatsAppHarness } from './setup.js';

const GROUP = '120363000000000077@g.us';
const ANNA = '31611111111@c.us';
const BRAM = '31622222222@c.us';

interface Detail {
  number: number;
  answers: { number: number; text: string; author: string; via: string }[];
}

describe(`WhatsApp: answering a question by a quoted reply (${engine()})`, () => {
  let w: WhatsAppHarness;
  let communityId: string;
  beforeAll(async () => {
    w = await createWhatsAppHarness();
    ({
      community: { id: communityId },
    } = await seedCommunity(w.h, { language: 'nl' }, GROUP));
  });
  afterAll(() => w.close());

  const say = async (author: string, notifyName: string, body: string, quoted?: { id: string; body?: string }) => {
    await w.emit('message', messageWith('group-message', { from: GROUP, author, notifyName, body, ...(quoted ? { quoted } : {}) }));
    await w.drain();
  };
  const question = async (number: number): Promise<Detail> => {
    const list = (await w.h.api({ method: 'GET', url: `/v1/communities/${communityId}/questions` })).json() as { items: { id: string; number: number }[] };
    const id = list.items.find((q) => q.number === number)!.id;
    return (await w.h.api({ method: 'GET', url: `/v1/questions/${id}` })).json() as Detail;
  };

  it('records a quoted reply to the bot’s post as an answer, quietly, in the order given', async () => {
    await say(ANNA, 'Anna de Vries', '/vraag Hoe vinden jullie vrijwilligers voor de wijk?');
    const post = w.client.sent.find((s) => typeof s.content === 'string' && s.content.startsWith('❓ Vraag 1'))!;
    expect(post.content).toBe(t('nl', 'questions.post', { number: 1, who: 'Anna de Vries', text: 'Hoe vinden jullie vrijwilligers voor de wijk?' }));

    const before = w.client.sent.length;
    await say(BRAM, 'Bram', 'Wij vragen het bij de bibliotheek.', { id: post.id, body: post.content as string });
    await say('31633333333@c.us', 'Carola', 'En via de huisarts.', { id: post.id, body: post.content as string });
    // No acknowledgement in the group: the reply is there for all to see, and Anna asked here.
    expect(w.client.sent.length).toBe(before);
    const detail = await question(1);
    expect(detail.answers).toMatchObject([
      { number: 1, text: 'Wij vragen het bij de bibliotheek.', author: 'Bram', via: 'reply' },
      { number: 2, text: 'En via de huisarts.', author: 'Carola', via: 'reply' },
    ]);
  });

  it('counts a quoted reply to the asker’s own question message too, and ignores other quoted replies', async () => {
    const askId = 'ASKQ2';
    await w.emit('message', messageWith('group-message', { from: GROUP, author: ANNA, notifyName: 'Anna de Vries', body: '/vraag Wie kent een goede trainer?', id: askId }));
    await w.drain();
    const asked = `false_${GROUP}_${askId}_${ANNA}`;
    await say(BRAM, 'Bram', 'Ja, Petra van Dijk.', { id: asked, body: '/vraag Wie kent een goede trainer?' });
    await say(BRAM, 'Bram', 'Leuk!', { id: `false_${GROUP}_SOMETHINGELSE_${ANNA}`, body: 'Hallo allemaal' });
    expect((await question(2)).answers.map((a) => a.text)).toEqual(['Ja, Petra van Dijk.']);
    expect((await question(1)).answers).toHaveLength(2);
  });

  it('lets the asker mark the reply as the best answer, and the group hears it', async () => {
    await say(ANNA, 'Anna de Vries', '/opgelost 1 2');
    const texts = w.client.textsTo(GROUP);
    expect(texts).toContain(
      [t('nl', 'questions.solved.post', { number: 1, question: 'Hoe vinden jullie vrijwilligers voor de wijk?' }), t('nl', 'questions.solved.best', { who: 'Carola', text: 'En via de huisarts.' })].join('\n\n'),
    );
  });
});
