import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/core/i18n/index.js';
import { newGroup, person } from '../helpers/conversation.js';
import { createHarness, groupMessage, seedCommunity, type Harness } from '../helpers/harness.js';
import { expectProblem, expectValidation, managerToken } from '../http/support.js';

const DAY = 24 * 60 * 60_000;
let people = 0;

describe('engagement figures (betrokkenheid): who takes part, from which organisation, who signed up and came', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  /**
   * Cees (Zorggroep Noord) wrote 40 days ago and not since; then Anna and Bram (Gemeente Utrecht)
   * and Dirk (no organisation) joined. Anna signs up for the one place of an activity, Bram waits;
   * Anna asks a question, Bram answers it; Anna votes in a poll. Three days on the activity has
   * been, and the manager records that Anna came.
   */
  async function community() {
    const n = String(++people).padStart(4, '0');
    const [ANNA, BRAM, CEES, DIRK] = ['1', '2', '3', '4'].map((d) => `316${d}${d}${d}${n}00@c.us`) as [string, string, string, string];
    const seeded = await seedCommunity(h, { language: 'nl' }, newGroup());
    const cid = seeded.community.id;
    const say = (who: string, name: string) => person(h, seeded.group, who, name);
    const memberId = async (who: string, name: string) => (await h.core.receive(groupMessage(seeded.group, who, 'Hallo', { sender: { externalId: who, displayName: name } }))).memberId!;
    const org = async (name: string) => ((await h.api({ method: 'POST', url: `/v1/communities/${cid}/organisations`, payload: { name } })).json() as { id: string }).id;
    const [gemeente, zorggroep] = [await org('Gemeente Utrecht'), await org('Zorggroep Noord')];

    const cees = await memberId(CEES, 'Cees');
    await h.api({ method: 'PATCH', url: `/v1/members/${cees}`, payload: { organisationId: zorggroep } });
    h.clock.advance(40 * DAY);
    const anna = await memberId(ANNA, 'Anna');
    const bram = await memberId(BRAM, 'Bram');
    await memberId(DIRK, 'Dirk');
    for (const id of [anna, bram]) await h.api({ method: 'PATCH', url: `/v1/members/${id}`, payload: { organisationId: gemeente } });

    const startsAt = new Date(h.clock.now().getTime() + 2 * DAY);
    const event = (await h.api({
      method: 'POST',
      url: `/v1/communities/${cid}/events`,
      payload: { kind: 'intervision', title: 'Intervisie', startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + 2 * 3600_000).toISOString(), capacity: 1 },
    })).json() as { id: string; number: number };
    await say(ANNA, 'Anna')(`/aanmelden ${event.number}`);
    await say(BRAM, 'Bram')(`/aanmelden ${event.number}`);
    await say(ANNA, 'Anna')('/vraag Hoe plannen jullie de nachtdiensten?');
    await say(BRAM, 'Bram')('/antwoord 1 Met een rooster dat we samen maken.');
    const poll = (await h.api({ method: 'POST', url: `/v1/communities/${cid}/polls`, payload: { question: 'Welke dag?', options: ['dinsdag', 'donderdag'] } })).json() as { number: number };
    await say(ANNA, 'Anna')(`/stem ${poll.number} 2`);
    h.clock.advance(3 * DAY);
    expect((await h.api({ method: 'POST', url: `/v1/events/${event.id}/attendance`, payload: { present: [anna] } })).statusCode).toBe(200);
    await h.flush();
    return { ...seeded, cid, ANNA, BRAM, anna, bram, gemeente, zorggroep, event, say };
  }

  it('counts members, the active share per organisation, commands, sign-ups and who came, questions and votes (REST)', async () => {
    const c = await community();
    const res = await h.api({ method: 'GET', url: `/v1/communities/${c.cid}/engagement` });
    expect(res.statusCode, res.body).toBe(200);
    const f = res.json();
    expect(f.to).toBe(h.clock.now().toISOString());
    expect(f.from).toBe(new Date(h.clock.now().getTime() - 30 * DAY).toISOString());
    expect(f.members).toEqual({ total: 4, new: 3, active: 3, activeShare: 0.75, rulesAccepted: 0, byRole: { member: 4 }, byChannel: { whatsapp: 4 } });
    expect(f.organisations).toEqual([
      { id: c.gemeente, name: 'Gemeente Utrecht', members: 2, active: 2 },
      { id: c.zorggroep, name: 'Zorggroep Noord', members: 1, active: 0 },
      { id: null, name: null, members: 1, active: 1 },
    ]);
    expect(f.messages.total).toBe(8);
    expect(f.messages.commands).toEqual({ join: 2, ask: 1, answer: 1, vote: 1 });
    expect(f.activities).toEqual([expect.objectContaining({ id: c.event.id, title: 'Intervisie', capacity: 1, cancelled: false, confirmed: 1, waiting: 1, attended: 1 })]);
    expect(f.polls).toEqual([{ number: 1, question: 'Welke dag?', closed: false, voters: 1 }]);
    expect(f.questions).toEqual({ asked: 1, answered: 1, solved: 0, answers: 1, answeredBy: 1 });
    expect(f.declaration).toBeNull();

    // The declaration: one of the two organisations signed the current version.
    expect((await h.api({ method: 'PUT', url: `/v1/communities/${c.cid}/declaration`, payload: { text: 'Wij bouwen samen aan deze community.' } })).statusCode).toBe(200);
    expect((await h.api({ method: 'POST', url: `/v1/communities/${c.cid}/declaration/signatures`, payload: { organisationId: c.gemeente, signedBy: 'Anna' } })).statusCode).toBeLessThan(300);
    expect((await h.api({ method: 'GET', url: `/v1/communities/${c.cid}/engagement` })).json().declaration).toEqual({ version: 1, signed: 1, organisations: 2 });

    // A window of its own: the 40 days before, when only Cees was there and wrote once.
    const before = (await h.api({ method: 'GET', url: `/v1/communities/${c.cid}/engagement?from=${new Date(h.clock.now().getTime() - 50 * DAY).toISOString()}&to=${new Date(h.clock.now().getTime() - 40 * DAY).toISOString()}` })).json();
    expect(before.members).toMatchObject({ total: 4, new: 1, active: 1 });
    expect(before.organisations).toContainEqual({ id: c.zorggroep, name: 'Zorggroep Noord', members: 1, active: 1 });
    expect(before.activities).toEqual([]);
  });

  it('counts who accepted the house rules and a newcomer who joined, but not the join itself as a message; the window’s end is exclusive', async () => {
    const c = await community();
    const url = `/v1/communities/${c.cid}/engagement`;
    const before = (await h.api({ method: 'GET', url })).json();
    expect((await h.api({ method: 'PATCH', url: `/v1/communities/${c.cid}`, payload: { rules: 'Wees aardig.' } })).statusCode).toBe(200);
    await c.say(c.ANNA, 'Anna')('/akkoord');
    const EVA = `3165555${String(people).padStart(4, '0')}00@c.us`;
    await h.core.receiveEvent({ kind: 'members-joined', channel: 'whatsapp', externalEventId: `join-eva-${c.cid}`, space: { externalId: c.group }, members: [{ externalId: EVA, displayName: 'Eva' }] });
    h.clock.advance(1);
    const after = (await h.api({ method: 'GET', url })).json();
    expect(after.members).toMatchObject({ total: before.members.total + 1, new: before.members.new + 1, active: before.members.active, rulesAccepted: 1 });
    // Only Anna's `/akkoord` is a message; Eva joining is not.
    expect(after.messages.total).toBe(before.messages.total + 1);
    expect(after.messages.commands).toEqual({ ...before.messages.commands, accept: 1 });
    // A window that ends just before her `/akkoord` does not see it.
    const edge = (await h.api({ method: 'GET', url: `${url}?to=${new Date(h.clock.now().getTime() - 1).toISOString()}` })).json();
    expect(edge.messages.total).toBe(before.messages.total);
  });

  it('refuses a window that is backwards, too long or not a date, and another community’s manager', async () => {
    const c = await community();
    const url = `/v1/communities/${c.cid}/engagement`;
    expectProblem(await h.api({ method: 'GET', url: `${url}?from=2026-05-01T00:00:00Z&to=2026-04-01T00:00:00Z` }), 400, 'invalid');
    expectProblem(await h.api({ method: 'GET', url: `${url}?from=2020-01-01T00:00:00Z&to=2026-04-01T00:00:00Z` }), 400, 'invalid');
    expectValidation(await h.api({ method: 'GET', url: `${url}?from=yesterday` }), 'querystring/from');
    const other = await seedCommunity(h, {}, newGroup());
    expectProblem(await h.api({ method: 'GET', url, token: await managerToken(h, other.community.id) }), 404, 'not-found');
    expect((await h.api({ method: 'GET', url, token: await managerToken(h, c.cid) })).statusCode).toBe(200);
  });

  it('in chat, `cijfers` gives the core group the summary; a member is told it is not for them', async () => {
    const c = await community();
    const anna = c.say(c.ANNA, 'Anna');
    expect(await anna('/cijfers')).toEqual([t('nl', 'figures.forbidden')]);
    await h.api({ method: 'PATCH', url: `/v1/members/${c.bram}`, payload: { role: 'ambassador' } });
    const bram = c.say(c.BRAM, 'Bram');
    // Coming up next week: one signed up.
    const startsAt = new Date(h.clock.now().getTime() + 7 * DAY);
    const next = (await h.api({
      method: 'POST',
      url: `/v1/communities/${c.cid}/events`,
      payload: { kind: 'webinar', title: 'Webinar roosters', startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + 3600_000).toISOString() },
    })).json() as { number: number };
    await anna(`/aanmelden ${next.number}`);
    // Per organisation a small number points at a person: the figures go to his own chat.
    expect(await bram('/cijfers')).toEqual([t('nl', 'private.sent', { name: 'Bram' })]);
    const summary = h.whatsapp.textsTo(`whatsapp:${c.BRAM}`).at(-1)!;
    const lines = summary.split('\n');
    expect(lines[0]).toBe(t('nl', 'figures.title', { community: 'Wijkzorg Utrecht', days: 30 }));
    expect(lines).toContain(t('nl', 'figures.members', { total: 4, new: 3, active: 3, share: 75 }));
    expect(lines).toContain(t('nl', 'figures.organisations', { list: 'Gemeente Utrecht 2/2 · geen organisatie 1/1 · Zorggroep Noord 0/1' }));
    // Commands by their Dutch words, the most used first.
    expect(lines.find((l) => l.startsWith('Berichten:'))).toMatch(/^Berichten: 11 · opdrachten: aanmelden 3, (antwoord|vraag|stem|cijfers) /);
    expect(lines.find((l) => l.startsWith('Intervisie'))).toMatch(/^Intervisie \(.+\): 1 aangemeld, 1 op de wachtlijst, 1 aanwezig$/);
    expect(lines).toContain(t('nl', 'figures.questions', { asked: 1, answered: 1, solved: 0, answers: 1, answeredBy: 1 }));
    expect(lines).toContain(t('nl', 'figures.polls', { polls: 1, voters: 1 }));
    expect(lines.at(-1)).toMatch(/^Binnenkort: Webinar roosters \(.+\): 1 aangemeld, 0 op de wachtlijst$/);
    await bram('/cijfers 90');
    expect(h.whatsapp.textsTo(`whatsapp:${c.BRAM}`).at(-1)).toContain(t('nl', 'figures.members', { total: 4, new: 4, active: 4, share: 100 }));
    expect(await bram('/cijfers veel')).toEqual([t('nl', 'figures.usage', { max: 731 })]);
  });
});
