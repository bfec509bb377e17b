import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/core/i18n/index.js';
import { NOTIFY_GAP_MS } from '../../src/core/questions/questions.service.js';
import { exchange, newGroup, outboxTo, person } from '../helpers/conversation.js';
import { createHarness, groupMessage, seedCommunity, type Harness } from '../helpers/harness.js';

const ANNA = '31611111111@c.us';
const BRAM = '31622222222@c.us';
const DIRK = '31644444444@c.us';
const CAROLA = 'aad-carola';

describe('questions and answers across WhatsApp and Teams', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  /** A community with a WhatsApp group, a Teams channel and an organisation, in one language. */
  async function community(language: 'en' | 'nl') {
    const seeded = await seedCommunity(h, { language }, newGroup());
    const id = seeded.community.id;
    const teamsChannel = `19:q${Math.random().toString(36).slice(2)}@thread.tacv2`;
    expect((await h.api({ method: 'POST', url: `/v1/communities/${id}/spaces`, payload: { channel: 'teams', externalId: teamsChannel, name: 'Algemeen' } })).statusCode).toBe(201);
    const org = (await h.api({ method: 'POST', url: `/v1/communities/${id}/organisations`, payload: { name: 'Gemeente Utrecht' } })).json() as { id: string };
    const teams = (text: string, extra = {}) =>
      exchange(h, { channel: 'teams', externalMessageId: `teams-${Math.random()}`, space: { externalId: teamsChannel, direct: false }, sender: { externalId: CAROLA, displayName: 'Carola' }, text, mentioned: true, ...extra });
    /** A member with a name and, if asked, the organisation. */
    const member = async (sender: string, name: string, withOrg = false) => {
      const first = await h.core.receive(groupMessage(seeded.group, sender, 'hallo', { sender: { externalId: sender, displayName: name } }));
      if (withOrg) await h.api({ method: 'PATCH', url: `/v1/members/${first.memberId}`, payload: { organisationId: org.id } });
      await h.flush();
      return { id: first.memberId!, say: person(h, seeded.group, sender, name) };
    };
    return { ...seeded, id, teamsChannel, teamsAddress: `teams:${teamsChannel}`, teams, member };
  }

  it('posts a Dutch question, numbered, to every space, with name and organisation and never a number', async () => {
    const c = await community('nl');
    const anna = await c.member(ANNA, 'Anna', true);
    const replies = await anna.say('/vraag Hoe vinden jullie vrijwilligers voor de wijk?');
    const post = t('nl', 'questions.post', { number: 1, who: 'Anna (Gemeente Utrecht)', text: 'Hoe vinden jullie vrijwilligers voor de wijk?' });
    // In the WhatsApp group the post itself is the confirmation.
    expect(replies).toEqual([post]);
    expect(h.teams.textsTo(c.teamsAddress)).toEqual([post]);
    expect(post).not.toContain('316');

    const second = await anna.say('/vraag Wie kent een goede training?');
    expect(second[0]).toContain('Vraag 2');
  });

  it('takes answers typed on both channels, tells the asker without flooding, and shows them with ask N', async () => {
    const c = await community('en');
    const anna = await c.member(ANNA, 'Anna');
    await anna.say('/ask How do you find volunteers?');
    const bram = await c.member(BRAM, 'Bram', true);
    // Bram answers in the same WhatsApp group Anna asked in: she saw it, no notice.
    expect(await bram.say('/answer 1 We ask at the library.')).toEqual([t('en', 'questions.answer.done', { name: 'Bram', answer: 1, number: 1 })]);
    // Carola answers in Teams: Anna hears of it in the group she asked in.
    const before = h.whatsapp.textsTo(c.address).length;
    expect(await c.teams('answer 1 A newsletter in the neighbourhood works for us.')).toEqual([t('en', 'questions.answer.done', { name: 'Carola', answer: 2, number: 1 })]);
    const notice = h.whatsapp.sent.filter((m) => m.address === c.address).slice(before);
    expect(notice.map((m) => m.text)).toEqual([
      [
        t('en', 'questions.notify.one', { number: 1, question: 'How do you find volunteers?' }),
        t('en', 'questions.notify.line', { answer: 2, who: 'Carola', text: 'A newsletter in the neighbourhood works for us.' }),
        t('en', 'questions.notify.footer', { number: 1 }),
      ].join('\n\n'),
    ]);
    expect(notice[0]!.replyTo).toBeDefined();

    // Two more from Teams within the half hour: nothing now, both together later.
    await c.teams('answer 1 Ask the schools.');
    await c.teams('answer 1 Pay them in cake.');
    expect(h.whatsapp.textsTo(c.address).length).toBe(before + 1);
    await h.core.scheduler.runOnce();
    await h.flush();
    expect(h.whatsapp.textsTo(c.address).length).toBe(before + 1);
    h.clock.advance(NOTIFY_GAP_MS);
    await h.core.scheduler.runOnce();
    await h.core.scheduler.runOnce();
    await h.flush();
    const digest = h.whatsapp.textsTo(c.address).slice(before + 1);
    expect(digest).toHaveLength(1);
    expect(digest[0]).toContain(t('en', 'questions.notify.many', { count: 2, number: 1, question: 'How do you find volunteers?' }));
    expect(digest[0]).toContain('3. Carola: Ask the schools.');
    expect(digest[0]).toContain('4. Carola: Pay them in cake.');

    // A reply to the bot's post is an answer; Anna's thanks in reply to a notice is not.
    const rows = await outboxTo(h, c.address);
    const post = rows.find((r) => /^question:.*:post:/.test(r.idempotencyKey))!;
    const noticeRow = rows.find((r) => /^question:.*:notify:/.test(r.idempotencyKey))!;
    await anna.say('Thanks, that helps!', { inReplyTo: { externalMessageId: noticeRow.externalId! } });
    await bram.say('And the church choir.', { inReplyTo: { externalMessageId: post.externalId! } });
    const detail = (await h.api({ method: 'GET', url: `/v1/questions/${post.idempotencyKey.split(':')[1]}` })).json() as { answers: { text: string }[] };
    expect(detail.answers.map((a) => a.text)).toEqual(['We ask at the library.', 'A newsletter in the neighbourhood works for us.', 'Ask the schools.', 'Pay them in cake.', 'And the church choir.']);

    const [shown] = await anna.say('/ask 1');
    expect(shown).toContain(t('en', 'questions.show', { number: 1, who: 'Anna', solved: '', text: 'How do you find volunteers?' }));
    expect(shown).toContain('1. Bram (Gemeente Utrecht): We ask at the library.');
  });

  it('lets the asker mark the best answer; every space hears it; others may not', async () => {
    const c = await community('nl');
    const anna = await c.member(ANNA, 'Anna');
    const bram = await c.member(BRAM, 'Bram');
    await anna.say('/vraag Welke app gebruiken jullie voor roosters?');
    await bram.say('/antwoord 1 Wij gebruiken een gedeelde agenda.');
    expect(await bram.say('/opgelost 1 1')).toEqual([t('nl', 'questions.solve.forbidden', { number: 1 })]);
    expect(await anna.say('/opgelost 1 7')).toEqual([t('nl', 'questions.solve.badAnswer', { number: 1, answer: 7 })]);
    const replies = await anna.say('/opgelost 1 1');
    const post = [t('nl', 'questions.solved.post', { number: 1, question: 'Welke app gebruiken jullie voor roosters?' }), t('nl', 'questions.solved.best', { who: 'Bram', text: 'Wij gebruiken een gedeelde agenda.' })].join('\n\n');
    expect(replies).toEqual([post, t('nl', 'questions.solve.done', { number: 1 })]);
    expect(h.teams.textsTo(c.teamsAddress).at(-1)).toBe(post);
    expect(await anna.say('/opgelost 1 1')).toEqual([t('nl', 'questions.solve.already', { number: 1 })]);
    expect((await anna.say('/vragen'))[0]).toBe(t('nl', 'questions.list.none', { community: 'Wijkzorg Utrecht' }));
  });

  it('numbers answers arriving at once on both channels one after another', async () => {
    const c = await community('en');
    const anna = await c.member(ANNA, 'Anna');
    await anna.say('/ask Ten answers at once?');
    const senders = Array.from({ length: 8 }, (_, i) => `3167000000${i}@c.us`);
    await Promise.all([
      ...senders.map((s, i) => h.core.receive(groupMessage(c.group, s, `/answer 1 WhatsApp ${i}`, { sender: { externalId: s, displayName: `W${i}` } }))),
      ...[0, 1].map((i) =>
        h.core.receive({ channel: 'teams', externalMessageId: `teams-at-once-${i}-${Math.random()}`, space: { externalId: c.teamsChannel, direct: false }, sender: { externalId: `aad-${i}`, displayName: `T${i}` }, text: `answer 1 Teams ${i}`, mentioned: true }),
      ),
    ]);
    const [q] = (await h.api({ method: 'GET', url: `/v1/communities/${c.id}/questions` })).json().items as { id: string }[];
    const detail = (await h.api({ method: 'GET', url: `/v1/questions/${q!.id}` })).json() as { answers: { number: number }[] };
    expect(detail.answers.map((a) => a.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('lets a manager mark any question solved', async () => {
    const c = await community('en');
    const anna = await c.member(ANNA, 'Anna');
    const dirk = await c.member(DIRK, 'Dirk');
    await h.api({ method: 'PATCH', url: `/v1/members/${dirk.id}`, payload: { role: 'manager' } });
    await anna.say('/ask Anyone?');
    expect(await dirk.say('/solved 1')).toContain(t('en', 'questions.solve.done', { number: 1 }));
  });

  it('answers mistakes in chat briefly, in the member’s language', async () => {
    const c = await community('en');
    const anna = await c.member(ANNA, 'Anna');
    expect(await anna.say('/ask')).toEqual([t('en', 'questions.ask.usage', { max: 1000 })]);
    expect(await anna.say(`/ask ${'x'.repeat(1001)}`)).toEqual([t('en', 'questions.ask.usage', { max: 1000 })]);
    expect(await anna.say('/answer 9 hello')).toEqual([t('en', 'questions.unknown', { number: '9' })]);
    expect(await anna.say('/answer one two')).toEqual([t('en', 'questions.answer.usage')]);
    expect(await anna.say('/solved')).toEqual([t('en', 'questions.solve.usage')]);
    expect(await anna.say('/search')).toEqual([t('en', 'search.usage')]);
    expect(await anna.say('/questions')).toEqual([t('en', 'questions.list.none', { community: 'Wijkzorg Utrecht' })]);
  });

  it('confirms a question asked in a direct chat, and tells the asker there', async () => {
    const c = await community('nl');
    const EVA = '31655555555@c.us';
    await c.member(EVA, 'Eva');
    const direct = (text: string) => exchange(h, groupMessage(EVA, EVA, text, { space: { externalId: EVA, direct: true }, sender: { externalId: EVA, displayName: 'Eva' } }));
    expect(await direct('vraag Wie heeft ervaring met buurtapps?')).toEqual([t('nl', 'questions.asked', { number: 1, spaces: 2 })]);
    expect(h.whatsapp.textsTo(c.address).at(-1)).toContain('Wie heeft ervaring met buurtapps?');
    const bram = await c.member(BRAM, 'Bram');
    await bram.say('/antwoord 1 Ja, wij!');
    expect(h.whatsapp.textsTo(`whatsapp:${EVA}`).at(-1)).toContain('1. Bram: Ja, wij!');
  });
});
