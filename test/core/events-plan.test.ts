import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/core/i18n/index.js';
import { directMessage, exchange, newGroup, person } from '../helpers/conversation.js';
import { createHarness, seedCommunity, type Harness } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const dm = (sender: string) => h.whatsapp.textsTo(`whatsapp:${sender}`);

/** A community in `language` with a group, and members with roles (they wrote once, in the group). */
async function setUp(language: 'en' | 'nl', people: Record<string, 'member' | 'ambassador' | 'manager'>) {
  const seeded = await seedCommunity(h, { language }, newGroup());
  for (const [sender, role] of Object.entries(people)) {
    const said = await h.core.receive({ ...directMessage(sender, 'hallo'), space: { externalId: seeded.group, direct: false } });
    if (role !== 'member') {
      const res = await h.api({ method: 'PATCH', url: `/v1/members/${said.memberId}`, payload: { role } });
      expect(res.statusCode, res.body).toBe(200);
    }
  }
  await h.flush();
  const events = async () => (await h.api({ method: 'GET', url: `/v1/communities/${seeded.community.id}/events` })).json().items;
  return { ...seeded, events };
}

describe('plan / plannen from the chat', () => {
  it('lets a manager plan an activity in English: the reply gives its number, the group gets the announcement', async () => {
    const { group, address, events } = await setUp('en', { '31620000001@c.us': 'manager' });
    const replies = await person(h, group, '31620000001@c.us')('/plan 12-03 19:30 Intervision | Buurthuis | 20');
    const [planned] = await events();
    // The announcement (with a Join button), then the reply to the manager.
    expect(replies).toHaveLength(2);
    expect(replies[0]).toBe(t('en', 'events.announce', { number: planned.number, kind: 'Intervision group', title: 'Intervision', when: 'Thu 12 March at 19:30', place: ' Where: Buurthuis.' }));
    expect(h.whatsapp.sent.filter((m) => m.address === address).at(-2)!.actions).toEqual([{ label: `Join ${planned.number}`, command: `join ${planned.number}` }]);
    expect(planned).toMatchObject({ kind: 'intervision', title: 'Intervision', startsAt: '2026-03-12T19:30:00+01:00', endsAt: '2026-03-12T21:30:00+01:00', location: 'Buurthuis', capacity: 20, warnings: [] });
    expect(replies[1]).toBe(
      t('en', 'events.plan.done', { number: planned.number, kind: 'Intervision group', title: 'Intervision', when: 'Thu 12 March at 19:30', end: '21:30', place: ' Where: Buurthuis.', places: ' 20 places.' }),
    );
  });

  it('lets an ambassador plan in Dutch, and tells them and the other managers about a school holiday', async () => {
    const { group, events } = await setUp('nl', { '31620000011@c.us': 'ambassador', '31620000012@c.us': 'manager', '31620000013@c.us': 'member' });
    const replies = await person(h, group, '31620000011@c.us')('/plannen 20-10 19:30-21:00 Intervisie | Buurthuis');
    const [planned] = await events();
    expect(planned.warnings.map((w: { region: string }) => w.region)).toEqual(['midden', 'zuid']);
    const notice = t('nl', 'events.holiday.notice', {
      number: planned.number,
      title: 'Intervisie',
      when: 'di 20 oktober om 19:30',
      holidays: 'de herfstvakantie van regio midden (17 oktober t/m 25 oktober); de herfstvakantie van regio zuid (17 oktober t/m 25 oktober)',
    });
    expect(replies[1]).toBe(
      [t('nl', 'events.plan.done', { number: planned.number, kind: 'Intervisiegroep', title: 'Intervisie', when: 'di 20 oktober om 19:30', end: '21:00', place: ' Waar: Buurthuis.', places: '' }), notice].join('\n'),
    );
    // The manager hears it in their own chat; the ambassador who planned it was told in the reply; members are not told.
    expect(dm('31620000012@c.us')).toEqual([notice]);
    expect(dm('31620000011@c.us')).toEqual([]);
    expect(dm('31620000013@c.us')).toEqual([]);
  });

  it('refuses members, and answers what it cannot read with the expected form, in their language', async () => {
    const { group, events } = await setUp('en', { '31620000021@c.us': 'member', '31620000022@c.us': 'manager' });
    expect(await person(h, group, '31620000021@c.us')('/plan 12-03 19:30 Borrel')).toEqual([t('en', 'events.plan.forbidden')]);
    const manager = person(h, group, '31620000022@c.us');
    expect(await manager('/plan Borrel next week')).toEqual([[t('en', 'events.plan.bad.form'), t('en', 'events.plan.usage')].join('\n')]);
    expect(await manager('/plannen 31-02 19:30 Borrel')).toEqual([[t('nl', 'events.plan.bad.date'), t('nl', 'events.plan.usage')].join('\n')]);
    expect(await manager('/plan 12-03 Borrel')).toEqual([[t('en', 'events.plan.bad.time'), t('en', 'events.plan.usage')].join('\n')]);
    expect(await manager('/plan 02-03 08:00 Borrel')).toEqual([t('en', 'events.plan.past', { when: 'Mon 2 March at 08:00' })]);
    expect(await manager('/plan 12-03 19:30-19:30 Borrel')).toEqual([t('en', 'events.plan.invalid')]);
    expect(await events()).toEqual([]);
  });
});

describe('school holidays over REST', () => {
  it('tells the managers in their own chat (WhatsApp, Teams personal chat) when an activity is planned or moved into one', async () => {
    const { community, events } = await setUp('en', { '31620000031@c.us': 'manager', '31620000032@c.us': 'member' });
    // A Teams manager who opened a personal chat with the bot.
    const teams = { channel: 'teams' as const, sender: { externalId: 'aad-manager-2', displayName: 'Femke' } };
    const channel = `19:plan-${community.id}@thread.tacv2`;
    await h.api({ method: 'POST', url: `/v1/communities/${community.id}/spaces`, payload: { channel: 'teams', externalId: channel, name: 'Algemeen' } });
    const femke = await h.core.receive({ ...directMessage('aad-manager-2', 'hello', teams), space: { externalId: channel, direct: false }, mentioned: true });
    await h.api({ method: 'PATCH', url: `/v1/members/${femke.memberId}`, payload: { role: 'manager', language: 'nl' } });
    await exchange(h, { ...directMessage('aad-manager-2', 'profile', teams), space: { externalId: 'a:personal-femke', direct: true }, replyAddress: 'teams:a:personal-femke' });

    const created = await h.api({
      method: 'POST',
      url: `/v1/communities/${community.id}/events`,
      payload: { kind: 'meetup', title: 'Buurtlunch', startsAt: '2026-03-10T12:00:00+01:00', endsAt: '2026-03-10T13:30:00+01:00', announce: false },
    });
    expect(created.json().warnings).toEqual([]);
    await h.flush();
    expect(dm('31620000031@c.us')).toEqual([]);

    const moved = await h.api({ method: 'PATCH', url: `/v1/events/${created.json().id}`, payload: { startsAt: '2026-07-07T12:00:00+02:00', endsAt: '2026-07-07T13:30:00+02:00' } });
    expect(moved.json().warnings).toEqual([expect.objectContaining({ code: 'school-holiday', region: 'noord', holiday: 'summer' })]);
    await h.flush();
    const number = created.json().number;
    expect(dm('31620000031@c.us')).toEqual([
      t('en', 'events.holiday.notice', { number, title: 'Buurtlunch', when: 'Tue 7 July at 12:00', holidays: 'the summer holiday (zomervakantie) of region noord (4 July to 16 August)' }),
    ]);
    expect(h.teams.textsTo('teams:a:personal-femke').at(-1)).toBe(
      t('nl', 'events.holiday.notice', { number, title: 'Buurtlunch', when: 'di 7 juli om 12:00', holidays: 'de zomervakantie van regio noord (4 juli t/m 16 augustus)' }),
    );
    expect(dm('31620000032@c.us')).toEqual([]);

    // Changing something else leaves the managers alone; a new holiday date tells them again.
    await h.api({ method: 'PATCH', url: `/v1/events/${created.json().id}`, payload: { title: 'Buurtlunch!' } });
    await h.flush();
    expect(dm('31620000031@c.us')).toHaveLength(1);
    const planned = await h.api({
      method: 'POST',
      url: `/v1/communities/${community.id}/events`,
      payload: { kind: 'social', title: 'Karten', startsAt: '2026-12-28T14:00:00+01:00', endsAt: '2026-12-28T16:00:00+01:00', announce: false },
    });
    expect(planned.json().warnings).toHaveLength(3);
    await h.flush();
    expect(dm('31620000031@c.us').at(-1)).toContain('Christmas holiday (kerstvakantie) of region noord (19 December to 3 January)');
    expect((await events()).length).toBe(2);
  });
});
