import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';
import { expectProblem, expectValidation, managerToken, seed } from './support.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const QUESTIONS = [
  { kind: 'single', text: 'Herken je je in het concept?', options: ['Ja', 'Nee'] },
  { kind: 'scale', text: 'Hoe graag neem je een rol?' },
];

const create = (communityId: string, payload: Record<string, unknown>, token?: string) =>
  h.api({ method: 'POST', url: `/v1/communities/${communityId}/surveys`, payload, ...(token && { token }) });

describe('the surveys API refuses what cannot be a survey', () => {
  it.each([
    ['no title', { questions: QUESTIONS }, 'body/title'],
    ['a blank title', { title: '   ', questions: QUESTIONS }, 'body/title'],
    ['no questions', { title: 'T', questions: [] }, 'body/questions'],
    ['an unknown kind of question', { title: 'T', questions: [{ kind: 'ranking', text: 'Q?' }] }, 'body/questions/0/kind'],
    ['an option WhatsApp cannot show', { title: 'T', questions: [{ kind: 'single', text: 'Q?', options: ['ja', 'x'.repeat(101)] }] }, 'body/questions/0/options/1'],
    ['an unknown field', { title: 'T', questions: QUESTIONS, colour: 'red' }, 'body/colour'],
    ['an audience that is no organisation id', { title: 'T', questions: QUESTIONS, audience: { organisationIds: ['acme'] } }, 'body/audience'],
    ['a share above 1', { title: 'T', questions: QUESTIONS, decisionRule: { rules: [{ question: 1, option: 1, atLeastShare: 60 }] } }, 'body/decisionRule'],
  ])('%s: 400 naming the field', async (_, payload, field) => {
    const { community } = await seed(h);
    expectValidation(await create(community.id, payload), field);
  });

  it.each([
    ['a choice question without options', { title: 'T', questions: [{ kind: 'multiple', text: 'Q?' }] }, 'options'],
    ['a scale question with options', { title: 'T', questions: [{ kind: 'scale', text: 'Q?', options: ['a', 'b'] }] }, 'no options'],
    ['the same option twice', { title: 'T', questions: [{ kind: 'single', text: 'Q?', options: ['Ja', 'ja '] }] }, 'differ'],
    ['a rule on a question that does not exist', { title: 'T', questions: QUESTIONS, decisionRule: { rules: [{ question: 3, option: 1, atLeastCount: 1 }] } }, 'no question 3'],
    ['a rule on an open question', { title: 'T', questions: [{ kind: 'open', text: 'Q?' }], decisionRule: { rules: [{ question: 1, option: 1, atLeastCount: 1 }] } }, 'open'],
    ['a rule on an option that does not exist', { title: 'T', questions: QUESTIONS, decisionRule: { rules: [{ question: 1, option: 3, atLeastCount: 1 }] } }, 'options 1 to 2'],
    ['a rule without a threshold', { title: 'T', questions: QUESTIONS, decisionRule: { rules: [{ question: 2, option: 4 }] } }, 'atLeastShare'],
    ['an organisation of another community', { title: 'T', questions: QUESTIONS, audience: { organisationIds: ['00000000-0000-4000-8000-000000000000'] } }, 'not part of this community'],
  ])('%s: 400 invalid with the reason', async (_, payload, reason) => {
    const { community } = await seed(h);
    expect(expectProblem(await create(community.id, payload), 400, 'invalid').detail).toContain(reason);
  });
});

describe('the surveys API', () => {
  it('a manager token reaches its own community’s surveys only (404 for others)', async () => {
    const mine = await seed(h);
    const other = await seed(h);
    const token = await managerToken(h, mine.community.id);
    const theirs = (await create(other.community.id, { title: 'T', questions: QUESTIONS })).json() as { id: string };
    expectProblem(await create(other.community.id, { title: 'T', questions: QUESTIONS }, token), 404, 'not-found');
    expectProblem(await h.api({ method: 'GET', url: `/v1/communities/${other.community.id}/surveys`, token }), 404, 'not-found');
    for (const url of [`/v1/surveys/${theirs.id}`, `/v1/surveys/${theirs.id}/results`]) expectProblem(await h.api({ method: 'GET', url, token }), 404, 'not-found');
    for (const action of ['waves', 'evaluate', 'close']) expectProblem(await h.api({ method: 'POST', url: `/v1/surveys/${theirs.id}/${action}`, token }), 404, 'not-found');
    expect((await create(mine.community.id, { title: 'T', questions: QUESTIONS }, token)).statusCode).toBe(201);
  });

  it('shows a survey as made, lists them newest first, page by page', async () => {
    const { community } = await seed(h);
    const org = (await h.api({ method: 'POST', url: `/v1/communities/${community.id}/organisations`, payload: { name: 'Gemeente' } })).json() as { id: string };
    const made = await create(community.id, {
      title: ' Behoeftepeiling ',
      intro: 'Drie vragen.',
      questions: [...QUESTIONS, { kind: 'open', text: ' Wat hoop je te vinden? ', optional: true }],
      audience: { organisationIds: [org.id] },
      anonymous: true,
      decisionRule: { rules: [{ question: 1, option: 1, atLeastShare: 0.6 }] },
    });
    expect(made.statusCode, made.body).toBe(201);
    const survey = made.json() as { id: string };
    expect(survey).toMatchObject({
      title: 'Behoeftepeiling',
      questions: [
        { kind: 'single', options: ['Ja', 'Nee'], optional: false },
        { kind: 'scale', optional: false },
        { kind: 'open', text: 'Wat hoop je te vinden?', optional: true },
      ],
      audience: { organisationIds: [org.id] },
      anonymous: true,
      waves: 0,
      closedAt: null,
    });
    expect((await h.api({ method: 'GET', url: `/v1/surveys/${survey.id}` })).json()).toEqual(survey);
    h.clock.advance(1000);
    await create(community.id, { title: 'Concepttoets', questions: QUESTIONS });
    const page = (await h.api({ method: 'GET', url: `/v1/communities/${community.id}/surveys?limit=1` })).json() as { items: { title: string }[]; total: number };
    expect(page).toMatchObject({ total: 2, items: [{ title: 'Concepttoets' }] });
    expectValidation(await h.api({ method: 'GET', url: `/v1/communities/${community.id}/surveys?open=true` }), 'querystring/open');
  });

  it('evaluating needs a decision rule; a closed survey sends no wave and closes once', async () => {
    const { community } = await seed(h);
    const survey = (await create(community.id, { title: 'T', questions: QUESTIONS })).json() as { id: string };
    expect(expectProblem(await h.api({ method: 'POST', url: `/v1/surveys/${survey.id}/evaluate` }), 409, 'conflict').detail).toContain('no decision rule');
    const closed = await h.api({ method: 'POST', url: `/v1/surveys/${survey.id}/close` });
    expect(closed.statusCode).toBe(200);
    expect(closed.json()).toMatchObject({ closedAt: h.clock.now().toISOString() });
    expectProblem(await h.api({ method: 'POST', url: `/v1/surveys/${survey.id}/close` }), 409, 'conflict');
    expectProblem(await h.api({ method: 'POST', url: `/v1/surveys/${survey.id}/waves` }), 409, 'conflict');
    expect((await h.api({ method: 'GET', url: `/v1/surveys/${survey.id}/results` })).json()).toMatchObject({ closed: true, audience: 0, responseRate: 0 });
    expectProblem(await h.api({ method: 'GET', url: '/v1/surveys/00000000-0000-4000-8000-000000000000' }), 404, 'not-found');
  });
});
