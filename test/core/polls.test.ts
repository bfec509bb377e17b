import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/core/i18n/index.js';
import { exchange, newGroup, outboxTo, person } from '../helpers/conversation.js';
import { createHarness, groupMessage, seedCommunity, type Harness } from '../helpers/harness.js';

const ANNA = '31611111111@c.us';
const BRAM = '31622222222@c.us';
const TEAMS_CHANNEL = '19:polls0001@thread.tacv2';
const CAROLA = 'aad-carola';

interface Results {
  voters: number;
  options: { number: number; label: string; votes: number }[];
  byOrganisation?: { name: string | null; voters: number; votes: number[] }[];
}

describe('polls across WhatsApp and Teams', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  /** A community with a WhatsApp group and a Teams channel, and a poll posted to both. */
  async function withPoll(fields: Record<string, unknown> = {}, community: Record<string, unknown> = {}) {
    const seeded = await seedCommunity(h, { language: 'en', ...community }, newGroup());
    const teamsChannel = `${TEAMS_CHANNEL}-${seeded.community.id}`;
    const space = await h.api({ method: 'POST', url: `/v1/communities/${seeded.community.id}/spaces`, payload: { channel: 'teams', externalId: teamsChannel, name: 'Algemeen' } });
    expect(space.statusCode).toBe(201);
    const res = await h.api({
      method: 'POST',
      url: `/v1/communities/${seeded.community.id}/polls`,
      payload: { question: 'Which day suits the next meetup?', options: ['Tuesday', 'Thursday', 'Friday'], ...fields },
    });
    expect(res.statusCode, res.body).toBe(201);
    await h.flush();
    const poll = res.json() as { id: string; number: number; postedTo: number };
    const teams = (text: string, extra = {}) =>
      exchange(h, { channel: 'teams', externalMessageId: `teams-${Math.random()}`, space: { externalId: teamsChannel, direct: false }, sender: { externalId: CAROLA, displayName: 'Carola' }, text, mentioned: true, ...extra });
    const results = async () => (await h.api({ method: 'GET', url: `/v1/polls/${poll.id}/results` })).json() as Results;
    return { ...seeded, teamsChannel, poll, teams, results };
  }

  const votes = (r: Results) => r.options.map((o) => o.votes);

  it('posts the poll to every space: a native poll on WhatsApp, the options as buttons on Teams, text for both', async () => {
    const { poll, address, teamsChannel } = await withPoll();
    expect(poll).toMatchObject({ number: 1, postedTo: 2 });
    const whatsapp = h.whatsapp.sent.filter((m) => m.address === address).at(-1)!;
    expect(whatsapp.poll).toEqual({
      question: 'Which day suits the next meetup?',
      options: [
        { label: 'Tuesday', command: 'vote 1 1' },
        { label: 'Thursday', command: 'vote 1 2' },
        { label: 'Friday', command: 'vote 1 3' },
      ],
      multiple: false,
      command: 'vote 1',
    });
    expect(whatsapp.text).toBe(['📊 Poll 1: Which day suits the next meetup?', '1. Tuesday', '2. Thursday', '3. Friday', t('en', 'polls.post.how', { number: 1 })].join('\n'));
    expect(h.teams.textsTo(`teams:${teamsChannel}`)).toEqual([whatsapp.text]);
  });

  it('counts typed votes from both channels in one tally; a new vote replaces the old; 0 takes it back', async () => {
    const { group, poll, teams, results } = await withPoll();
    const anna = person(h, group, ANNA, 'Anna');
    expect(await anna(`/vote ${poll.number} 2`)).toEqual([t('en', 'polls.vote.done', { name: 'Anna', number: 1, choices: '2. Thursday' })]);
    expect(await teams(`stem ${poll.number} 1`)).toEqual([t('nl', 'polls.vote.done', { name: 'Carola', number: 1, choices: '1. Tuesday' })]);
    expect(votes(await results())).toEqual([1, 1, 0]);

    await anna(`/vote ${poll.number} 1`);
    expect(await results()).toMatchObject({ voters: 2, options: [{ votes: 2 }, { votes: 0 }, { votes: 0 }] });
    expect(await anna(`/vote ${poll.number} 0`)).toEqual([t('en', 'polls.vote.cleared', { number: 1 })]);
    expect(votes(await results())).toEqual([1, 0, 0]);
  });

  it('takes a WhatsApp native vote quietly, the whole selection at once, and a Teams button press with an answer', async () => {
    const { group, address, poll, teams, results } = await withPoll({ multiple: true });
    const [row] = await outboxTo(h, address);
    const before = h.whatsapp.textsTo(address).length;
    const vote = (options: string[]) =>
      h.core.receive(groupMessage(group, BRAM, '', { action: { kind: 'poll-vote', pollMessageId: row!.externalId!, options } }));
    await vote(['Tuesday', 'Friday']);
    expect(votes(await results())).toEqual([1, 0, 1]);
    await vote(['Thursday']);
    expect(votes(await results())).toEqual([0, 1, 0]);
    await vote([]);
    expect((await results()).voters).toBe(0);
    await h.flush();
    expect(h.whatsapp.textsTo(address).length).toBe(before);

    expect(await teams('', { action: { kind: 'command', command: `vote ${poll.number} 3` } })).toEqual([
      t('en', 'polls.vote.done', { name: 'Carola', number: 1, choices: '3. Friday' }),
    ]);
  });

  it('explains a wrong vote instead of counting it', async () => {
    const { group, poll, results } = await withPoll();
    const anna = person(h, group, ANNA);
    expect(await anna(`/vote ${poll.number} 4`)).toEqual([t('en', 'polls.vote.badChoice', { number: 1, count: 3 })]);
    expect(await anna(`/vote ${poll.number} 1 2`)).toEqual([t('en', 'polls.vote.oneOnly', { number: 1 })]);
    expect(await anna(`/vote ${poll.number} two`)).toEqual([t('en', 'polls.vote.badChoice', { number: 1, count: 3 })]);
    expect(await anna('/vote 99 1')).toEqual([t('en', 'polls.unknown', { number: '99' })]);
    expect(await anna('/vote')).toEqual([t('en', 'polls.usage.vote')]);
    expect((await results()).voters).toBe(0);
  });

  it('lists the open polls with the member’s own vote, and shows one poll with its buttons', async () => {
    const { group, poll } = await withPoll({}, { name: 'Zorg Samen' });
    const anna = person(h, group, ANNA);
    await anna(`/vote ${poll.number} 3`);
    const [list] = await anna('/polls');
    expect(list).toContain(t('en', 'polls.title', { community: 'Zorg Samen' }));
    expect(list).toContain(`*1* — Which day suits the next meetup?${t('en', 'polls.line.mine', { choices: '3. Friday' })}`);
    const [shown] = await anna(`/vote ${poll.number}`);
    expect(shown).toContain('2. Thursday');
    expect(shown).toContain(t('en', 'polls.vote.mine', { choices: '3. Friday' }));
    expect(h.whatsapp.sent.at(-1)!.actions?.map((a) => a.command)).toEqual(['vote 1 1', 'vote 1 2', 'vote 1 3']);
  });

  it('lets ambassadors and managers ask a poll from chat; a member is told who can', async () => {
    const { community, group, address } = await seedCommunity(h, { language: 'nl' }, newGroup());
    const first = await h.core.receive(groupMessage(group, ANNA, 'hoi', { sender: { externalId: ANNA, displayName: 'Anna' } }));
    const bram = person(h, group, BRAM);
    expect(await bram('/stemming Welke dag? | dinsdag | donderdag')).toEqual([t('nl', 'polls.create.forbidden')]);

    await h.api({ method: 'PATCH', url: `/v1/members/${first.memberId}`, payload: { role: 'ambassador' } });
    const anna = person(h, group, ANNA);
    expect(await anna('/stemming Welke dag? | dinsdag')).toEqual([t('nl', 'polls.create.usage')]);
    const replies = await anna('/stemming Welke dag? | dinsdag | donderdag');
    expect(replies).toContain(t('nl', 'polls.create.done', { number: 1, spaces: 1 }));
    expect(h.whatsapp.sent.filter((m) => m.address === address).map((m) => m.poll?.question)).toContain('Welke dag?');
    const list = (await h.api({ method: 'GET', url: `/v1/communities/${community.id}/polls` })).json() as { items: { question: string; createdById: string }[] };
    expect(list.items).toMatchObject([{ question: 'Welke dag?', createdById: first.memberId }]);
  });

  it('closing posts the result everywhere; later votes are refused; the scheduler closes at closesAt', async () => {
    const { group, address, teamsChannel, poll, results } = await withPoll();
    const anna = person(h, group, ANNA);
    await anna(`/vote ${poll.number} 2`);
    const closed = await h.api({ method: 'POST', url: `/v1/polls/${poll.id}/close` });
    expect(closed.statusCode, closed.body).toBe(200);
    await h.flush();
    const result = [t('en', 'polls.result.title', { number: 1, question: 'Which day suits the next meetup?' }), '1. Tuesday — 0 (0%)', '2. Thursday — 1 (100%)', '3. Friday — 0 (0%)', t('en', 'polls.result.voters', { count: 1 })].join('\n');
    expect(h.whatsapp.textsTo(address).at(-1)).toBe(result);
    expect(h.teams.textsTo(`teams:${teamsChannel}`).at(-1)).toBe(result);
    expect(await anna(`/vote ${poll.number} 1`)).toEqual([t('en', 'polls.vote.closed', { number: 1 })]);
    expect(votes(await results())).toEqual([0, 1, 0]);
    expect((await h.api({ method: 'POST', url: `/v1/polls/${poll.id}/close` })).statusCode).toBe(409);

    const timed = await withPoll({ closesAt: new Date(h.clock.now().getTime() + 60 * 60_000).toISOString() });
    expect(await h.core.scheduler.runOnce()).toBe(0);
    h.clock.advance(60 * 60_000);
    expect(await h.core.scheduler.runOnce()).toBe(1);
    await h.flush();
    expect(h.whatsapp.textsTo(timed.address).at(-1)).toContain(t('en', 'polls.result.voters', { count: 0 }));
    expect((await h.api({ method: 'GET', url: `/v1/polls/${timed.poll.id}` })).json()).toMatchObject({ closedAt: h.clock.now().toISOString() });
  });

  it('gives results per organisation, unless the poll is anonymous', async () => {
    const named = await withPoll();
    const org = (await h.api({ method: 'POST', url: `/v1/communities/${named.community.id}/organisations`, payload: { name: 'Gemeente Utrecht' } })).json() as { id: string };
    const anna = await h.core.receive(groupMessage(named.group, ANNA, `/vote ${named.poll.number} 1`));
    await h.api({ method: 'PATCH', url: `/v1/members/${anna.memberId}`, payload: { organisationId: org.id } });
    await h.core.receive(groupMessage(named.group, BRAM, `/vote ${named.poll.number} 2`));
    expect((await named.results()).byOrganisation).toEqual([
      { organisationId: org.id, name: 'Gemeente Utrecht', voters: 1, votes: [1, 0, 0] },
      { organisationId: null, name: null, voters: 1, votes: [0, 1, 0] },
    ]);

    const anonymous = await withPoll({ anonymous: true });
    await h.core.receive(groupMessage(anonymous.group, ANNA, `/vote ${anonymous.poll.number} 1`));
    const results = await anonymous.results();
    expect(results.voters).toBe(1);
    expect(results).not.toHaveProperty('byOrganisation');
  });
});
