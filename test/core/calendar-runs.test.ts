import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/core/i18n/index.js';
import type { Language } from '../../src/db/schema/index.js';
import { newGroup } from '../helpers/conversation.js';
import { engine } from '../helpers/database.js';
import { createHarness, runAt, seedCommunity, type Harness } from '../helpers/harness.js';

// The harness clock starts on Monday 2 March 2026, 09:00 UTC; each test moves it forward only.
describe(`calendar items going out (${engine()})`, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  /** A community with a WhatsApp group and a Teams channel. */
  async function community(language: Language = 'nl') {
    const seeded = await seedCommunity(h, { language }, newGroup());
    const teams = `19:${seeded.community.id}@thread.tacv2`;
    await h.api({ method: 'POST', url: `/v1/communities/${seeded.community.id}/spaces`, payload: { channel: 'teams', externalId: teams, name: 'Algemeen' } });
    return { ...seeded, teams: `teams:${teams}` };
  }

  const plan = async (communityId: string, payload: Record<string, unknown>) => {
    const res = await h.api({ method: 'POST', url: `/v1/communities/${communityId}/calendar`, payload });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string };
  };
  const item = async (id: string) => (await h.api({ method: 'GET', url: `/v1/calendar/${id}` })).json() as Record<string, unknown>;
  const at = (iso: string) => runAt(h, iso);

  it('sends a weekly Monday 09:00 announcement at 09:00 Amsterdam time on both sides of the spring change', async () => {
    const { community: c, address, teams } = await community();
    const weekly = await plan(c.id, { kind: 'announcement', text: 'Goedemorgen! Wat speelt er deze week?', cron: '0 9 * * 1' });
    const sent = () => h.whatsapp.textsTo(address).length;

    await at('2026-03-09T07:59:00Z');
    expect(sent()).toBe(0);
    await at('2026-03-09T08:00:00Z'); // 09:00 CET
    expect(sent()).toBe(1);
    await at('2026-03-16T08:00:00Z');
    await at('2026-03-23T08:00:00Z');
    expect(sent()).toBe(3);
    await at('2026-03-30T06:59:00Z');
    expect(sent()).toBe(3);
    await at('2026-03-30T07:00:00Z'); // 09:00 CEST
    expect(sent()).toBe(4);
    await at('2026-03-30T08:00:00Z');
    expect(sent()).toBe(4);

    expect(h.teams.textsTo(teams)).toEqual(Array(4).fill('📣 Goedemorgen! Wat speelt er deze week?'));
    expect(await item(weekly.id)).toMatchObject({ runs: 4, lastRunAt: '2026-03-30T07:00:00.000Z', nextRunAt: '2026-04-06T07:00:00.000Z', lastError: null });
    const list = (await h.api({ method: 'GET', url: `/v1/communities/${c.id}/announcements?status=sent` })).json() as { items: { calendarItemId: string; sendAt: string }[] };
    expect(list.items.map((a) => [a.calendarItemId, a.sendAt])).toEqual(
      ['2026-03-30T07:00:00.000Z', '2026-03-23T08:00:00.000Z', '2026-03-16T08:00:00.000Z', '2026-03-09T08:00:00.000Z'].map((s) => [weekly.id, s]),
    );
  });

  it.each(['en', 'nl'] as const)('asks a planned poll (%s) in every space, and closes it when its time is up', async (language) => {
    const { community: c, address, teams } = await community(language);
    const start = h.clock.now().getTime();
    const iso = (minutes: number) => new Date(start + minutes * 60_000).toISOString();
    const planned = await plan(c.id, { kind: 'poll', poll: { question: 'Welke dag past?', options: ['dinsdag', 'donderdag'], closesAfterMinutes: 60 }, at: iso(30) });

    await at(iso(30));
    const posted = h.whatsapp.sent.filter((m) => m.address === address);
    expect(posted).toHaveLength(1);
    expect(posted[0]!.poll).toMatchObject({ question: 'Welke dag past?', options: [{ label: 'dinsdag' }, { label: 'donderdag' }] });
    expect(posted[0]!.text.split('\n')[0]).toBe(t(language, 'polls.post.title', { number: 1, question: 'Welke dag past?' }));
    expect(h.teams.textsTo(teams)).toEqual([posted[0]!.text]);
    expect(await item(planned.id)).toMatchObject({ runs: 1, nextRunAt: null, lastRunAt: iso(30), upcoming: [] });

    const polls = (await h.api({ method: 'GET', url: `/v1/communities/${c.id}/polls` })).json() as { items: { id: string; closesAt: string }[] };
    expect(polls.items).toEqual([expect.objectContaining({ closesAt: iso(90) })]);
    const window = (await h.api({ method: 'GET', url: `/v1/communities/${c.id}/calendar` })).json() as { items: { kind: string; id: string }[] };
    expect(window.items).toEqual([expect.objectContaining({ kind: 'poll-close', id: polls.items[0]!.id })]);

    await at(iso(90));
    expect(h.teams.textsTo(teams).at(-1)!.split('\n')[0]).toBe(t(language, 'polls.result.title', { number: 1, question: 'Welke dag past?' }));
  });

  it('records why a run could not post, and goes on to the next run', async () => {
    const { community: c } = await seedCommunity(h, {}, newGroup());
    const spaces = (await h.api({ method: 'GET', url: `/v1/communities/${c.id}/spaces` })).json() as { items: { id: string }[] };
    await h.api({ method: 'DELETE', url: `/v1/spaces/${spaces.items[0]!.id}` });
    const daily = await plan(c.id, { kind: 'announcement', text: 'Niemand leest dit', cron: '0 12 * * *' });
    const next = (await item(daily.id)).nextRunAt as string;
    await at(next);
    expect(await item(daily.id)).toMatchObject({ runs: 1, lastError: 'The community has no groups or channels', nextRunAt: new Date(new Date(next).getTime() + 86_400_000).toISOString() });
  });
});
