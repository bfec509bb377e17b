import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/core/i18n/index.js';
import { newGroup, person } from '../helpers/conversation.js';
import { createHarness, groupMessage, seedCommunity, type Harness } from '../helpers/harness.js';

const ANNA = '31611111111@c.us';
const BRAM = '31622222222@c.us';
const DAY = 24 * 60 * 60_000;
const PURPOSE = 'Hoe houden we ouderen langer thuis?';
const RULES = 'Wees vriendelijk.\nDeel geen cliëntgegevens.';

describe('onboarding and house rules', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  const welcome = (language: 'en' | 'nl', name: string, community = 'Wijkzorg Utrecht', version = 1, text = RULES) =>
    [
      t(language, 'welcome.firstContact', { community, name }),
      t(language, 'welcome.purpose', { purpose: PURPOSE }),
      '',
      t(language, 'welcome.rules', { version, text }),
    ].join('\n');

  it('welcomes a member at first contact with the purpose and the house rules, once, quoting their message', async () => {
    const { group, address } = await seedCommunity(h, { purpose: PURPOSE, rules: RULES }, newGroup());
    const first = groupMessage(group, ANNA, 'Goedemorgen allemaal!', { sender: { externalId: ANNA, displayName: 'Anna' } });
    await h.core.receive(first);
    await h.flush();
    const sent = h.whatsapp.sent.filter((m) => m.address === address);
    expect(sent.map((m) => m.text)).toEqual([welcome('nl', 'Anna')]);
    expect(sent[0]!.replyTo).toBe(first.externalMessageId);

    const say = person(h, group, ANNA, 'Anna');
    expect(await say('nog een bericht')).toEqual([]);
    expect(await say('/help')).toHaveLength(1);
  });

  it('welcomes in the language the platform says the newcomer uses, before answering their command', async () => {
    const { group } = await seedCommunity(h, { purpose: PURPOSE, rules: RULES }, newGroup());
    const replies = await person(h, group, BRAM, 'Bram')('/help', { locale: 'en' });
    expect(replies[0]).toBe(welcome('en', 'Bram'));
    expect(replies[1]).toContain(t('en', 'help.title', { community: 'Wijkzorg Utrecht' }));
  });

  it('does not welcome where there is nothing to tell, nor someone already welcomed when they joined', async () => {
    const quiet = await seedCommunity(h, {}, newGroup());
    expect(await person(h, quiet.group, ANNA)('hallo')).toEqual([]);

    const { group, address } = await seedCommunity(h, { purpose: PURPOSE, rules: RULES }, newGroup());
    await h.core.receiveEvent({ kind: 'members-joined', channel: 'whatsapp', externalEventId: `join-${group}`, space: { externalId: group }, members: [{ externalId: ANNA, displayName: 'Anna' }] });
    await h.flush();
    const before = h.whatsapp.textsTo(address).length;
    expect(await person(h, group, ANNA)('hallo')).toEqual([]);
    expect(h.whatsapp.textsTo(address)).toHaveLength(before);
  });

  it('reminds a member who has not accepted once, a day after the welcome, and never again', async () => {
    const { group } = await seedCommunity(h, { purpose: PURPOSE, rules: RULES }, newGroup());
    const say = person(h, group, ANNA, 'Anna');
    await say('hallo');
    h.clock.advance(DAY - 60_000);
    expect(await say('nog steeds hier')).toEqual([]);
    h.clock.advance(60_000);
    const reminder = t('nl', 'rules.reminder', { community: 'Wijkzorg Utrecht', version: 1 });
    expect(await say('goedemiddag')).toEqual([reminder]);
    h.clock.advance(DAY);
    expect(await say('/help')).toHaveLength(1);
    expect(await say('en nu?')).toEqual([]);
  });

  it('does not remind those who accepted, nor while they read or accept the rules', async () => {
    const { group } = await seedCommunity(h, { rules: RULES, language: 'en' }, newGroup());
    const anna = person(h, group, ANNA);
    await anna('/accept');
    const bram = person(h, group, BRAM);
    await bram('/rules');
    h.clock.advance(2 * DAY);
    expect(await anna('hello')).toEqual([]);
    expect((await bram('/rules'))[0]).toContain(t('en', 'rules.askAccept'));
    expect(await bram('/accept')).toEqual([t('en', 'accept.done', { name: '31622222222', version: 1 })]);
  });

  it('asks every group to accept a new version, and reminds once more for it', async () => {
    const { community, group, address } = await seedCommunity(h, { rules: RULES, language: 'en' }, newGroup());
    const anna = person(h, group, ANNA);
    await anna('/accept');
    const patched = await h.api({ method: 'PATCH', url: `/v1/communities/${community.id}`, payload: { rules: 'Be kind.\nMeet in person once a quarter.' } });
    expect(patched.statusCode, patched.body).toBe(200);
    await h.flush();
    expect(h.whatsapp.textsTo(address).at(-1)).toBe(t('en', 'rules.announce.changed', { community: 'Wijkzorg Utrecht', version: 2, text: 'Be kind.\nMeet in person once a quarter.' }));
    h.clock.advance(DAY);
    expect(await anna('hi')).toEqual([t('en', 'rules.reminder', { community: 'Wijkzorg Utrecht', version: 2 })]);
    expect(await anna('hi again')).toEqual([]);
  });
});

describe('house-rule proposals', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  async function withRoles() {
    const seeded = await seedCommunity(h, { rules: RULES }, newGroup());
    const ids: Record<string, string> = {};
    for (const [who, role] of [[ANNA, 'ambassador'], [BRAM, 'manager']] as const) {
      const first = await h.core.receive(groupMessage(seeded.group, who, '/akkoord', { sender: { externalId: who, displayName: who === ANNA ? 'Anna' : 'Bram' } }));
      await h.api({ method: 'PATCH', url: `/v1/members/${first.memberId}`, payload: { role } });
      ids[who] = first.memberId!;
    }
    await h.flush();
    return { ...seeded, ids };
  }

  it('an ambassador proposes from chat, the manager adopts it, and every group is asked to accept', async () => {
    const { community, group, address } = await withRoles();
    const anna = person(h, group, ANNA);
    expect(await anna('/voorstel Wees vriendelijk.\nReageer binnen een week.')).toEqual([t('nl', 'proposals.recorded', { number: 1 })]);
    const member = person(h, group, '31633333333@c.us');
    // A newcomer: welcomed first, then told who may propose.
    expect((await member('/voorstel Geen regels meer')).at(-1)).toBe(t('nl', 'proposals.forbidden'));
    expect(await anna('/aannemen 1')).toEqual([t('nl', 'proposals.managersOnly')]);

    const bram = person(h, group, BRAM);
    const [list] = await bram('/voorstellen');
    expect(list).toContain('*1* (van Anna): Wees vriendelijk.\nReageer binnen een week.');
    expect(list).toContain(t('nl', 'proposals.footer.manager'));
    const adopted = await bram('/aannemen 1');
    expect(adopted).toContain(t('nl', 'proposals.adopted', { number: 1, version: 2 }));
    expect(h.whatsapp.textsTo(address)).toContain(
      t('nl', 'rules.announce.changed', { community: 'Wijkzorg Utrecht', version: 2, text: 'Wees vriendelijk.\nReageer binnen een week.' }),
    );
    expect(await bram('/afwijzen 1')).toEqual([t('nl', 'proposals.decided', { number: 1, status: t('nl', 'proposals.status.adopted') })]);
    const view = (await h.api({ method: 'GET', url: `/v1/communities/${community.id}` })).json() as { rules: { version: number; text: string } };
    expect(view.rules).toMatchObject({ version: 2, text: 'Wees vriendelijk.\nReageer binnen een week.' });
  });

  it('through the API: propose, list by status, decline, and 409 for a second decision', async () => {
    const { community, ids } = await withRoles();
    const base = `/v1/communities/${community.id}/rules/proposals`;
    const created = await h.api({ method: 'POST', url: base, payload: { text: 'Nieuwe regels', proposedById: ids[ANNA] } });
    expect(created.statusCode, created.body).toBe(201);
    const proposal = created.json() as { id: string; number: number; status: string };
    expect(proposal).toMatchObject({ number: 1, status: 'open', proposedById: ids[ANNA] });

    const declined = await h.api({ method: 'POST', url: `/v1/rules/proposals/${proposal.id}/decline` });
    expect(declined.json()).toMatchObject({ status: 'declined', adoptedVersion: null, decidedAt: h.clock.now().toISOString() });
    expect((await h.api({ method: 'POST', url: `/v1/rules/proposals/${proposal.id}/adopt` })).statusCode).toBe(409);
    const open = (await h.api({ method: 'GET', url: `${base}?status=open` })).json() as { total: number };
    const closed = (await h.api({ method: 'GET', url: `${base}?status=declined` })).json() as { total: number };
    expect([open.total, closed.total]).toEqual([0, 1]);

    const other = await seedCommunity(h, {}, newGroup());
    const stranger = await h.api({ method: 'POST', url: `/v1/communities/${other.community.id}/rules/proposals`, payload: { text: 'x', proposedById: ids[ANNA] } });
    expect(stranger.statusCode).toBe(400);
    expect(stranger.json()).toMatchObject({ code: 'invalid' });
  });
});
