import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/core/i18n/index.js';
import { newGroup, person } from '../helpers/conversation.js';
import { createHarness, seedCommunity, type Harness } from '../helpers/harness.js';
import type { KnowledgeHit } from '../../src/core/questions/questions.search.js';

const ANNA = '31611111111@c.us';
const BRAM = '31622222222@c.us';

type Hit = KnowledgeHit;

describe('the knowledge base: full-text search of questions and answers', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  async function community(language: 'en' | 'nl') {
    const seeded = await seedCommunity(h, { language }, newGroup());
    const anna = person(h, seeded.group, ANNA, 'Anna');
    const bram = person(h, seeded.group, BRAM, 'Bram');
    const knowledge = async (q: string, extra = '') => {
      const res = await h.api({ method: 'GET', url: `/v1/communities/${seeded.community.id}/knowledge?q=${encodeURIComponent(q)}${extra}` });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { items: Hit[]; total: number; limit: number; offset: number };
    };
    return { ...seeded, anna, bram, knowledge };
  }

  it('finds a Dutch question about "vrijwilligers" by "vrijwilliger" (Dutch stemming), in chat and over REST', async () => {
    const c = await community('nl');
    await c.anna('/vraag Hoe vinden jullie vrijwilligers voor de wijk?');
    await c.anna('/vraag Welke app gebruiken jullie voor roosters?');

    const [found] = await c.bram('/zoek vrijwilliger');
    expect(found).toBe(
      [
        t('nl', 'search.title', { query: 'vrijwilliger', total: 1 }),
        t('nl', 'search.line', { number: 1, solved: '', snippet: 'Hoe vinden jullie *vrijwilligers* voor de wijk?' }),
        t('nl', 'search.footer'),
      ].join('\n'),
    );
    const api = await c.knowledge('vrijwilliger');
    expect(api).toMatchObject({ total: 1, items: [{ number: 1, answerNumber: null, solved: false, snippet: 'Hoe vinden jullie <mark>vrijwilligers</mark> voor de wijk?' }] });
    expect(api.items[0]!.rank).toBeGreaterThan(0);

    expect(await c.bram('/zoek karten')).toEqual([t('nl', 'search.none', { query: 'karten' })]);
  });

  it('searches English with English stemming: "volunteer" finds "volunteers", "meeting" finds "meetings"', async () => {
    const c = await community('en');
    await c.anna('/ask Where do you find volunteers?');
    await c.bram('/answer 1 We hold monthly meetings at the library.');
    expect((await c.knowledge('volunteer')).items.map((i) => i.number)).toEqual([1]);
    const byAnswer = await c.knowledge('meeting');
    expect(byAnswer.items).toMatchObject([{ number: 1, answerNumber: 1, snippet: expect.stringContaining('<mark>meetings</mark>') }]);
  });

  it('ranks the closer match first, one result per question, and pages', async () => {
    const c = await community('nl');
    await c.anna('/vraag Hoe plannen we een intervisie?');
    await c.anna('/vraag Intervisie of supervisie: wat werkt beter voor intervisie in de wijk?');
    await c.anna('/vraag Hoe houden we ouderen langer thuis?');
    await c.bram('/antwoord 3 Met intervisie tussen wijkverpleegkundigen.');
    await c.bram('/antwoord 2 Intervisie, zeker weten.');

    const all = await c.knowledge('intervisie');
    expect(all.total).toBe(3);
    expect(all.items.map((i) => i.number)).toEqual([2, 1, 3]);
    expect(all.items[0]!.answerNumber).toBeNull();
    expect(all.items[2]!.answerNumber).toBe(1);

    const page = await c.knowledge('intervisie', '&limit=1&offset=1');
    expect(page).toMatchObject({ total: 3, limit: 1, offset: 1, items: [{ number: 1 }] });
  });

  it('falls back to any of the words when no question has them all', async () => {
    const c = await community('nl');
    await c.anna('/vraag Hoe vinden we vrijwilligers?');
    expect((await c.knowledge('vrijwilligers werven')).items.map((i) => i.number)).toEqual([1]);
    expect((await c.knowledge('"vrijwilligers werven"')).total).toBe(1);
  });

  it('escapes what members wrote in the REST snippet, and stays within the community', async () => {
    const c = await community('en');
    await c.anna('/ask Is <b>bold</b> & "quoted" volunteers text safe?');
    const [hit] = (await c.knowledge('volunteers')).items;
    expect(hit!.snippet).not.toMatch(/<b>|<\/b>/);
    expect(hit!.snippet).toContain('&#38;');
    expect(hit!.snippet).toContain('<mark>volunteers</mark>');

    const other = await community('en');
    expect((await other.knowledge('volunteers')).total).toBe(0);
  });

  it('leaves hidden questions and answers out', async () => {
    const c = await community('en');
    await c.anna('/ask Who has a spare projector?');
    await c.bram('/answer 1 Call the community centre about the projector.');
    const question = (await h.api({ method: 'GET', url: `/v1/communities/${c.community.id}/questions` })).json().items[0] as { id: string };
    const detail = (await h.api({ method: 'GET', url: `/v1/questions/${question.id}` })).json() as { answers: { id: string }[] };
    expect((await h.api({ method: 'PATCH', url: `/v1/answers/${detail.answers[0]!.id}`, payload: { hidden: true } })).statusCode).toBe(200);
    expect((await c.knowledge('community centre')).total).toBe(0);
    expect((await c.knowledge('projector')).items).toMatchObject([{ number: 1, answerNumber: null }]);
    expect((await h.api({ method: 'PATCH', url: `/v1/questions/${question.id}`, payload: { hidden: true } })).statusCode).toBe(200);
    expect((await c.knowledge('projector')).total).toBe(0);
    expect(await c.bram('/search projector')).toEqual([t('en', 'search.none', { query: 'projector' })]);
  });

  it('refuses an empty or over-long search over REST with 400', async () => {
    const c = await community('en');
    for (const q of ['', ' ', 'x'.repeat(201)]) {
      const res = await h.api({ method: 'GET', url: `/v1/communities/${c.community.id}/knowledge?q=${encodeURIComponent(q)}` });
      expect(res.statusCode, q).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    // Only stop words or punctuation: nothing to look for, nothing found, no error.
    expect((await c.knowledge('the and ?!')).total).toBe(0);
  });
});
