import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/core/i18n/index.js';
import type { Language } from '../../src/db/schema/index.js';
import { exchange, newGroup, person } from '../helpers/conversation.js';
import { engine } from '../helpers/database.js';
import { createHarness, groupMessage, seedCommunity, type Harness } from '../helpers/harness.js';

const ANNA = '31611111111@c.us';
const BRAM = '31622222222@c.us';

describe(`announce / aankondiging in chat (${engine()})`, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  /** A community with a WhatsApp group and a Teams channel; Anna gets `role`. */
  async function setup(language: Language, role: 'manager' | 'ambassador' | 'member') {
    const seeded = await seedCommunity(h, { language }, newGroup());
    const teams = `19:${seeded.community.id}@thread.tacv2`;
    await h.api({ method: 'POST', url: `/v1/communities/${seeded.community.id}/spaces`, payload: { channel: 'teams', externalId: teams, name: 'Algemeen' } });
    const anna = person(h, seeded.group, ANNA, 'Anna');
    const first = await h.core.receive(groupMessage(seeded.group, ANNA, 'Hallo'));
    await h.api({ method: 'PATCH', url: `/v1/members/${first.memberId}`, payload: { role } });
    return { ...seeded, anna, teams: `teams:${teams}` };
  }

  it.each([
    ['en', 'manager', '/announce The webinar moves to 20:00.\nSee you there!', 'The webinar moves to 20:00.\nSee you there!'],
    ['nl', 'ambassador', '/aankondiging Het webinar begint om 20.00 uur.', 'Het webinar begint om 20.00 uur.'],
  ] as const)('a %s %s announces to every group and channel, and hears where it went', async (language, role, typed, text) => {
    const { anna, address, teams, community } = await setup(language, role);
    const replies = await anna(typed);
    expect(replies).toEqual([`📣 ${text}`, t(language, 'announcements.done', { spaces: 2 })]);
    expect(h.teams.textsTo(teams)).toEqual([`📣 ${text}`]);
    const list = (await h.api({ method: 'GET', url: `/v1/communities/${community.id}/announcements` })).json() as { items: { text: string; createdById: string | null; delivery: { delivered: number } }[] };
    expect(list.items).toEqual([expect.objectContaining({ text, createdById: expect.any(String), delivery: expect.objectContaining({ delivered: 2 }) })]);
    expect(h.whatsapp.textsTo(address).filter((m) => m.startsWith('📣'))).toHaveLength(1);
  });

  it.each(['en', 'nl'] as const)('tells a member (%s) only the core group and the manager may announce, and sends nothing', async (language) => {
    const { address, teams, group } = await setup(language, 'member');
    const bram = person(h, group, BRAM, 'Bram');
    const word = language === 'en' ? '/announce' : '/aankondiging';
    expect(await bram(`${word} Gratis taart!`)).toEqual([t(language, 'announcements.forbidden')]);
    expect(h.teams.textsTo(teams)).toEqual([]);
    expect(h.whatsapp.textsTo(address).some((m) => m.includes('taart'))).toBe(false);
  });

  it('explains how it goes when the text is missing or too long, in the word’s language', async () => {
    const { anna } = await setup('en', 'manager');
    expect(await anna('/aankondiging')).toEqual([t('nl', 'announcements.usage', { max: 4000 })]);
    expect(await anna(`/announce ${'x'.repeat(4001)}`)).toEqual([t('en', 'announcements.usage', { max: 4000 })]);
  });

  it('is listed in help in both languages', async () => {
    const { group } = await setup('en', 'member');
    const [help] = await exchange(h, groupMessage(group, BRAM, '/help'));
    expect(help).toContain(t('en', 'help.announce'));
    const [hulp] = await exchange(h, groupMessage(group, BRAM, '/hulp'));
    expect(hulp).toContain(t('nl', 'help.announce'));
  });
});
