import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/core/i18n/index.js';
import { person } from '../helpers/conversation.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { expectProblem, expectValidation, managerToken, seed } from './support.js';

const ANNA = '31611111111@c.us';
const BRAM = '31622222222@c.us';

interface Detail {
  id: string;
  number: number;
  text: string;
  askedBy: string | null;
  answerCount: number;
  solvedAt: string | null;
  solvedAnswerId: string | null;
  hidden: boolean;
  answers: { id: string; number: number; text: string; author: string; best: boolean; hidden: boolean }[];
}

describe('questions over REST', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  for (const language of ['en', 'nl'] as const) {
    it(`asks, lists, shows and solves a question (${language})`, async () => {
      const { community, group, address } = await seed(h, { language });
      const created = await h.api({ method: 'POST', url: `/v1/communities/${community.id}/questions`, payload: { text: 'Who hosts the next intervision?' } });
      expect(created.statusCode, created.body).toBe(201);
      const question = created.json() as Detail & { postedTo: number };
      expect(question).toMatchObject({ number: 1, askedBy: null, answerCount: 0, postedTo: 1, answers: [] });
      await h.flush();
      expect(h.whatsapp.textsTo(address).at(-1)).toBe(t(language, 'questions.post', { number: 1, who: t(language, 'member.unnamed'), text: 'Who hosts the next intervision?' }));

      const bram = person(h, group, BRAM, 'Bram');
      await bram(`/${language === 'nl' ? 'antwoord' : 'answer'} 1 We do, in May.`);
      const anna = person(h, group, ANNA, 'Anna');
      await anna(`/${language === 'nl' ? 'vraag' : 'ask'} Anything else?`);

      const list = (await h.api({ method: 'GET', url: `/v1/communities/${community.id}/questions` })).json() as { items: Detail[]; total: number };
      expect(list).toMatchObject({ total: 2, items: [{ number: 2, askedBy: 'Anna', answerCount: 0 }, { number: 1, answerCount: 1 }] });
      const unanswered = (await h.api({ method: 'GET', url: `/v1/communities/${community.id}/questions?status=unanswered` })).json() as { items: Detail[] };
      expect(unanswered.items.map((q) => q.number)).toEqual([2]);

      const detail = (await h.api({ method: 'GET', url: `/v1/questions/${question.id}` })).json() as Detail;
      expect(detail.answers).toMatchObject([{ number: 1, text: 'We do, in May.', author: 'Bram', best: false }]);

      const solved = await h.api({ method: 'POST', url: `/v1/questions/${question.id}/solve`, payload: { answerId: detail.answers[0]!.id } });
      expect(solved.statusCode, solved.body).toBe(200);
      expect(solved.json()).toMatchObject({ solvedAnswerId: detail.answers[0]!.id, answers: [{ best: true }] });
      await h.flush();
      expect(h.whatsapp.textsTo(address).at(-1)).toContain(t(language, 'questions.solved.post', { number: 1, question: 'Who hosts the next intervision?' }));
      expectProblem(await h.api({ method: 'POST', url: `/v1/questions/${question.id}/solve`, payload: { answerId: detail.answers[0]!.id } }), 409, 'conflict');
      const solvedList = (await h.api({ method: 'GET', url: `/v1/communities/${community.id}/questions?status=solved` })).json() as { items: Detail[] };
      expect(solvedList.items.map((q) => q.number)).toEqual([1]);
    });
  }

  it('hides an answer: no longer the best one, not shown in chat', async () => {
    const { community, group } = await seed(h, { language: 'en' });
    const anna = person(h, group, ANNA, 'Anna');
    const bram = person(h, group, BRAM, 'Bram');
    await anna('/ask Where to park?');
    await bram('/answer 1 Behind the town hall.');
    await anna('/solved 1 1');
    const [q] = ((await h.api({ method: 'GET', url: `/v1/communities/${community.id}/questions` })).json() as { items: Detail[] }).items;
    const detail = (await h.api({ method: 'GET', url: `/v1/questions/${q!.id}` })).json() as Detail;
    const hidden = await h.api({ method: 'PATCH', url: `/v1/answers/${detail.answers[0]!.id}`, payload: { hidden: true } });
    expect(hidden.statusCode, hidden.body).toBe(200);
    expect(hidden.json()).toMatchObject({ solvedAnswerId: null, answerCount: 0, answers: [{ hidden: true, best: false }] });
    expect((await anna('/ask 1')).join('\n')).not.toContain('Behind the town hall');
  });

  it('refuses bad input with 400 problems, and unknown ids with 404', async () => {
    const { community } = await seed(h);
    const url = `/v1/communities/${community.id}/questions`;
    expectValidation(await h.api({ method: 'POST', url, payload: { text: '' } }), 'body/text');
    expectValidation(await h.api({ method: 'POST', url, payload: { text: 'x'.repeat(1001) } }), 'body/text');
    expectProblem(await h.api({ method: 'POST', url, payload: { text: 'Fine?', extra: 1 } }), 400, 'validation');
    expectProblem(await h.api({ method: 'GET', url: `${url}?status=closed` }), 400, 'validation');
    expectProblem(await h.api({ method: 'GET', url: '/v1/questions/00000000-0000-4000-8000-000000000000' }), 404, 'not-found');
    expectProblem(await h.api({ method: 'PATCH', url: '/v1/answers/00000000-0000-4000-8000-000000000000', payload: { hidden: true } }), 404, 'not-found');
    const created = (await h.api({ method: 'POST', url, payload: { text: 'Fine?' } })).json() as Detail;
    expectProblem(await h.api({ method: 'POST', url: `/v1/questions/${created.id}/solve`, payload: { answerId: '00000000-0000-4000-8000-000000000000' } }), 400, 'invalid');
    expectProblem(await h.api({ method: 'PATCH', url: `/v1/questions/${created.id}`, payload: { text: 'changed' } }), 400, 'validation');
  });

  it('gives a manager token of another community 404 for everything here', async () => {
    const { community, group } = await seed(h);
    const other = await seed(h);
    const token = await managerToken(h, other.community.id);
    await person(h, group, ANNA, 'Anna')('/ask Private to us?');
    const [q] = ((await h.api({ method: 'GET', url: `/v1/communities/${community.id}/questions` })).json() as { items: Detail[] }).items;
    const detail = (await h.api({ method: 'GET', url: `/v1/questions/${q!.id}` })).json() as Detail;
    await person(h, group, BRAM, 'Bram')('/answer 1 Yes.');
    const answerId = ((await h.api({ method: 'GET', url: `/v1/questions/${q!.id}` })).json() as Detail).answers[0]!.id;
    for (const [method, url, payload] of [
      ['GET', `/v1/communities/${community.id}/questions`],
      ['POST', `/v1/communities/${community.id}/questions`, { text: 'Sneaky?' }],
      ['GET', `/v1/communities/${community.id}/knowledge?q=private`],
      ['GET', `/v1/communities/${community.id}/questions/settings`],
      ['GET', `/v1/questions/${detail.id}`],
      ['POST', `/v1/questions/${detail.id}/solve`, {}],
      ['PATCH', `/v1/questions/${detail.id}`, { hidden: true }],
      ['PATCH', `/v1/answers/${answerId}`, { hidden: true }],
    ] as const) {
      expectProblem(await h.api({ method, url, payload, token }), 404, 'not-found');
    }
    const own = await managerToken(h, community.id);
    expect((await h.api({ method: 'GET', url: `/v1/questions/${detail.id}`, token: own })).statusCode).toBe(200);
  });
});
