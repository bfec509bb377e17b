import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';
import { expectProblem, expectValidation, seed } from './support.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const create = (communityId: string, payload: Record<string, unknown>, token?: string) =>
  h.api({ method: 'POST', url: `/v1/communities/${communityId}/polls`, payload, ...(token && { token }) });

describe('the polls API refuses what cannot be a poll', () => {
  it.each([
    ['one option', { question: 'Q?', options: ['ja'] }, 'body/options'],
    ['eleven options', { question: 'Q?', options: Array.from({ length: 11 }, (_, i) => `o${i}`) }, 'body/options'],
    ['an empty option', { question: 'Q?', options: ['ja', '  '] }, 'body/options/1'],
    ['an option WhatsApp cannot show', { question: 'Q?', options: ['ja', 'x'.repeat(101)] }, 'body/options/1'],
    ['no question', { options: ['ja', 'nee'] }, 'body/question'],
    ['an unknown field', { question: 'Q?', options: ['ja', 'nee'], colour: 'red' }, 'body/colour'],
    ['a closing time that is not a time', { question: 'Q?', options: ['ja', 'nee'], closesAt: 'tomorrow' }, 'body/closesAt'],
  ])('%s: 400 naming the field', async (_, payload, field) => {
    const { community } = await seed(h);
    expectValidation(await create(community.id, payload), field);
  });

  it('the same option twice, or a closing time in the past: 400 invalid, and nothing is posted', async () => {
    const { community } = await seed(h);
    expect(expectProblem(await create(community.id, { question: 'Q?', options: ['Ja', 'ja '] }), 400, 'invalid').detail).toContain('differ');
    const past = new Date(h.clock.now().getTime() - 1000).toISOString();
    expect(expectProblem(await create(community.id, { question: 'Q?', options: ['ja', 'nee'], closesAt: past }), 400, 'invalid').detail).toContain('future');
    await h.flush();
    expect(h.whatsapp.sent.filter((m) => m.poll)).toEqual([]);
  });

  it('a manager token reaches its own community’s polls only (404 for others)', async () => {
    const mine = await seed(h);
    const other = await seed(h);
    const { token } = (await h.api({ method: 'POST', url: '/v1/tokens', payload: { name: 'm', communityId: mine.community.id } })).json() as { token: string };
    const theirs = (await create(other.community.id, { question: 'Q?', options: ['ja', 'nee'] })).json() as { id: string };
    expectProblem(await create(other.community.id, { question: 'Q?', options: ['ja', 'nee'] }, token), 404, 'not-found');
    for (const url of [`/v1/polls/${theirs.id}`, `/v1/polls/${theirs.id}/results`]) expectProblem(await h.api({ method: 'GET', url, token }), 404, 'not-found');
    expectProblem(await h.api({ method: 'POST', url: `/v1/polls/${theirs.id}/close`, token }), 404, 'not-found');
    expect((await create(mine.community.id, { question: 'Q?', options: ['ja', 'nee'] }, token)).statusCode).toBe(201);
  });

  it('lists open and closed polls apart', async () => {
    const { community } = await seed(h);
    const first = (await create(community.id, { question: 'Eerste?', options: ['ja', 'nee'] })).json() as { id: string };
    await create(community.id, { question: 'Tweede?', options: ['ja', 'nee'] });
    await h.api({ method: 'POST', url: `/v1/polls/${first.id}/close` });
    const list = async (query: string) => ((await h.api({ method: 'GET', url: `/v1/communities/${community.id}/polls${query}` })).json() as { items: { question: string }[] }).items.map((p) => p.question);
    expect(await list('')).toEqual(['Tweede?', 'Eerste?']);
    expect(await list('?open=true')).toEqual(['Tweede?']);
    expect(await list('?open=false')).toEqual(['Eerste?']);
  });
});
