import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src/core/index.js';
import { t } from '../../src/core/i18n/index.js';
import { directMessage, exchange, newGroup } from '../helpers/conversation.js';
import { createHarness, groupMessage, seedCommunity, type Harness } from '../helpers/harness.js';

const HOUR = 3_600_000;
let people = 0;

const QUESTIONS = [
  { kind: 'single', text: 'Do you recognise yourself in this concept?', options: ['Yes', 'Partly', 'No'] },
  { kind: 'multiple', text: 'What blocks you?', options: ['Time', 'Tools'] },
  { kind: 'scale', text: 'How much would you like to take a role?', optional: true },
];

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

/** A community (WhatsApp group, Teams channel) with Anna and Bram on WhatsApp, Carola on Teams with a personal chat, and a survey. */
async function setUp(language: 'en' | 'nl', survey: Record<string, unknown> = {}) {
  const n = String(++people).padStart(4, '0');
  const [ANNA, BRAM, CAROLA] = [`3163333${n}@c.us`, `3164444${n}@c.us`, `aad-carola-w${n}`];
  const seeded = await seedCommunity(h, { language }, newGroup());
  const cid = seeded.community.id;
  const channel = `19:waves-${cid}@thread.tacv2`;
  await h.api({ method: 'POST', url: `/v1/communities/${cid}/spaces`, payload: { channel: 'teams', externalId: channel, name: 'Algemeen' } });
  await h.core.receive(groupMessage(seeded.group, ANNA, 'Hoi', { sender: { externalId: ANNA, displayName: 'Anna' } }));
  await h.core.receive(groupMessage(seeded.group, BRAM, 'Hoi', { sender: { externalId: BRAM, displayName: 'Bram' } }));
  const teams = { channel: 'teams' as const, sender: { externalId: CAROLA, displayName: 'Carola' } };
  await h.core.receive({ ...directMessage(CAROLA, 'hello', teams), space: { externalId: channel, direct: false }, mentioned: true });
  const personal = `a:personal-${n}`;
  const carola = (text: string, action?: string) =>
    exchange(h, { ...directMessage(CAROLA, text, teams), space: { externalId: personal, direct: true }, replyAddress: `teams:${personal}`, ...(action && { action: { kind: 'command' as const, command: action } }) });
  await carola('profile');
  const created = await h.api({ method: 'POST', url: `/v1/communities/${cid}/surveys`, payload: { title: 'Concept test', questions: QUESTIONS, ...survey } });
  expect(created.statusCode, created.body).toBe(201);
  const id = (created.json() as { id: string }).id;
  await h.flush();
  const wave = async (payload?: Record<string, unknown>) => {
    const r = await h.api({ method: 'POST', url: `/v1/surveys/${id}/waves`, ...(payload && { payload }) });
    await h.flush();
    return r;
  };
  const dm = (sender: string) => (text: string) => exchange(h, directMessage(sender, text));
  return { ...seeded, cid, id, ANNA, BRAM, CAROLA, personal, carola, wave, dm, teamsAddress: `teams:${personal}` };
}

describe('survey waves at a set time', () => {
  it('are in the content calendar: the wave on its send time, its reminder when due', async () => {
    const s = await setUp('en');
    const sendAt = new Date(h.clock.now().getTime() + 3 * HOUR);
    expect((await s.wave({ sendAt: sendAt.toISOString(), remindAfterHours: 48 })).statusCode).toBe(200);
    const window = (to: Date) =>
      h.api({ method: 'GET', url: `/v1/communities/${s.cid}/calendar?from=${h.clock.now().toISOString()}&to=${to.toISOString()}` });
    const planned = (await window(new Date(sendAt.getTime() + 72 * HOUR))).json().items.filter((e: { source: string }) => e.source === 'survey');
    expect(planned).toEqual([expect.objectContaining({ at: sendAt.toISOString(), kind: 'survey-wave', id: s.id, title: 'Concept test — wave 1', status: 'planned' })]);

    h.clock.advance(3 * HOUR);
    try {
      await h.core.scheduler.runOnce();
      await h.flush();
      const later = (await window(new Date(sendAt.getTime() + 72 * HOUR))).json().items.filter((e: { source: string }) => e.source === 'survey');
      expect(later.map((e: { kind: string; status: string; at: string }) => [e.kind, e.status, e.at])).toEqual([
        ['survey-wave', 'done', sendAt.toISOString()],
        ['survey-reminder', 'planned', new Date(sendAt.getTime() + 48 * HOUR).toISOString()],
      ]);
    } finally {
      h.clock.advance(-3 * HOUR);
    }
  });

  it('waits until sendAt, then the scheduler sends it once, even with two instances at it', async () => {
    const s = await setUp('nl');
    const sendAt = new Date(h.clock.now().getTime() + 2 * HOUR).toISOString();
    const res = await s.wave({ sendAt });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ wave: 1, sendAt, sentAt: null, audience: null, sent: null });
    expect(h.whatsapp.textsTo(`whatsapp:${s.ANNA}`)).toEqual([]);
    await h.core.scheduler.runOnce();
    await h.flush();
    expect(h.whatsapp.textsTo(`whatsapp:${s.ANNA}`)).toEqual([]);

    h.clock.advance(2 * HOUR);
    try {
      // A second server on the same database: both run their scheduler at once.
      const other = createCore({ db: h.database.db, logger: pino({ level: 'silent' }), clock: h.clock.now });
      const done = await Promise.all([h.core.scheduler.runOnce(), other.scheduler.runOnce(), h.core.scheduler.runOnce()]);
      expect(done.reduce((a, b) => a + b, 0)).toBe(1);
      await other.dispatcher.stop();
      await h.flush();
    } finally {
      h.clock.advance(-2 * HOUR);
    }
    expect(h.whatsapp.textsTo(`whatsapp:${s.ANNA}`)).toHaveLength(1);
    expect(h.whatsapp.textsTo(`whatsapp:${s.ANNA}`)[0]).toContain(t('nl', 'surveys.intro', { title: 'Concept test' }));
    const [listed] = (await h.api({ method: 'GET', url: `/v1/surveys/${s.id}/waves` })).json().items;
    expect(listed).toMatchObject({ wave: 1, sentAt: expect.any(String), audience: 3, sent: 3, notReachable: 0, completed: 0 });
  });

  it('reminds those who have not finished once, after the configured time; not those who finished', async () => {
    const s = await setUp('en');
    const res = await s.wave({ remindAfterHours: 24 });
    expect(res.json()).toMatchObject({ wave: 1, sent: 3, remindAfterHours: 24, remindAt: new Date(h.clock.now().getTime() + 24 * HOUR).toISOString(), remindedAt: null });
    for (const answer of ['1', '1 2', '4']) await s.dm(s.ANNA)(answer);
    await s.dm(s.BRAM)('2');
    const [anna, bram] = [h.whatsapp.textsTo(`whatsapp:${s.ANNA}`).length, h.whatsapp.textsTo(`whatsapp:${s.BRAM}`).length];

    h.clock.advance(23 * HOUR);
    await h.core.scheduler.runOnce();
    await h.flush();
    expect(h.whatsapp.textsTo(`whatsapp:${s.BRAM}`)).toHaveLength(bram);
    h.clock.advance(HOUR);
    try {
      expect(await h.core.scheduler.runOnce()).toBe(1);
      expect(await h.core.scheduler.runOnce()).toBe(0);
      await h.flush();
    } finally {
      h.clock.advance(-24 * HOUR);
    }
    expect(h.whatsapp.textsTo(`whatsapp:${s.BRAM}`).slice(bram)).toEqual([expect.stringContaining(t('en', 'surveys.reminder', { title: 'Concept test' }))]);
    expect(h.whatsapp.textsTo(`whatsapp:${s.BRAM}`).at(-1)).toContain('Question 2 of 3');
    expect(h.whatsapp.textsTo(`whatsapp:${s.ANNA}`)).toHaveLength(anna);
    const [listed] = (await h.api({ method: 'GET', url: `/v1/surveys/${s.id}/waves` })).json().items;
    expect(listed).toMatchObject({ remindedAt: expect.any(String), reminded: 2 });
    // Bram answers straight on from the reminder.
    expect((await s.dm(s.BRAM)('1'))[0]).toContain('Question 3 of 3');
  });

  it('refuses a bad sendAt or reminder time, and shows another community’s waves to nobody', async () => {
    const s = await setUp('en');
    for (const bad of [{ remindAfterHours: 0 }, { sendAt: '2026-03-05T10:00:00' }, { when: 'now' }]) {
      const res = await s.wave(bad);
      expect({ bad, status: res.statusCode }).toEqual({ bad, status: 400 });
    }
    const other = await seedCommunity(h, {}, newGroup());
    const token = (await h.api({ method: 'POST', url: '/v1/tokens', payload: { name: 'other manager', communityId: other.community.id } })).json().token;
    expect((await h.api({ method: 'GET', url: `/v1/surveys/${s.id}/waves`, token })).statusCode).toBe(404);
    expect((await h.api({ method: 'POST', url: `/v1/surveys/${s.id}/waves`, token })).statusCode).toBe(404);
    expect((await h.api({ method: 'GET', url: `/v1/surveys/${s.id}/waves` })).json().total).toBe(0);
  });
});

describe('answer buttons', () => {
  it('gives Teams a button per answer for single-choice and scale questions; WhatsApp gets the numbered text', async () => {
    const s = await setUp('en');
    await s.wave();
    const invitation = h.teams.sent.filter((m) => m.address === s.teamsAddress).at(-1)!;
    const ref = s.id.slice(0, 8);
    expect(invitation.actions).toEqual([
      { label: '1. Yes', command: `survey ${ref} 1 1` },
      { label: '2. Partly', command: `survey ${ref} 1 2` },
      { label: '3. No', command: `survey ${ref} 1 3` },
    ]);
    expect(h.whatsapp.sent.filter((m) => m.address === `whatsapp:${s.ANNA}`).at(-1)!.actions).toBeUndefined();

    // A pressed button answers as if typed; a multiple-choice question has no buttons.
    const [second] = await s.carola('', `survey ${ref} 1 2`);
    expect(second).toContain('Question 2 of 3');
    expect(h.teams.sent.filter((m) => m.address === s.teamsAddress).at(-1)!.actions).toBeUndefined();
    const [third] = await s.carola('1 2');
    expect(third).toContain('Question 3 of 3');
    const scale = h.teams.sent.filter((m) => m.address === s.teamsAddress).at(-1)!.actions!;
    expect(scale.map((a) => a.label)).toEqual(['1', '2', '3', '4', '5', 'Skip']);

    // An earlier card pressed again changes that answer and asks the current question again.
    const changed = await s.carola('', `survey ${ref} 1 3`);
    expect(changed[0]).toBe([t('en', 'surveys.answer.changed', { number: 1 }), '', ...third!.split('\n')].join('\n'));
    expect(await s.carola('', scale[5]!.command)).toEqual([t('en', 'surveys.done', { title: 'Concept test' })]);
    const results = (await h.api({ method: 'GET', url: `/v1/surveys/${s.id}/results` })).json();
    expect(results.questions[0].options.map((o: { count: number }) => o.count)).toEqual([0, 0, 1]);
    expect(results.questions[2]).toMatchObject({ answered: 0, skipped: 1 });
    expect(results.completed).toBe(1);

    // A button of a survey that is not theirs (or made up) is answered kindly, in Dutch for peiling.
    expect(await s.carola('', 'survey 00000000 1 1')).toEqual([t('en', 'surveys.answer.stale')]);
    expect(await s.carola('/peiling 12')).toEqual([t('nl', 'surveys.answer.stale')]);
  });
});

describe('the go/no-go in the groups', () => {
  it('announces a go with its figures and the new phase in every space, in the community language', async () => {
    const rule = { rules: [{ question: 1, option: 1, atLeastShare: 0.6 }] };
    const s = await setUp('nl', { decisionRule: rule });
    await s.wave();
    for (const sender of [s.ANNA, s.BRAM]) for (const answer of ['1', '1', '5']) await s.dm(sender)(answer);
    const before = h.whatsapp.textsTo(s.address).length;
    expect((await h.api({ method: 'POST', url: `/v1/surveys/${s.id}/evaluate` })).json()).toMatchObject({ outcome: 'go', phaseAfter: 'concept-and-test' });
    await h.flush();
    const announced = t('nl', 'surveys.decision.go', {
      title: 'Concept test',
      figures: t('nl', 'surveys.decision.rule', { met: '✓', question: 1, option: 1, count: 2, answered: 2, share: 100, need: t('nl', 'surveys.decision.needShare', { share: 60 }) }),
      community: 'Wijkzorg Utrecht',
      phase: 'concept en toetsing',
    });
    expect(h.whatsapp.textsTo(s.address).slice(before)).toEqual([announced]);
    expect(h.teams.textsTo(`teams:19:waves-${s.cid}@thread.tacv2`).at(-1)).toBe(announced);
  });

  it('announces a no-go in English, with the condition that was not met', async () => {
    const rule = { rules: [{ question: 1, option: 1, atLeastShare: 0.6, atLeastCount: 2 }] };
    const s = await setUp('en', { decisionRule: rule });
    await s.wave();
    await s.dm(s.ANNA)('1');
    await s.dm(s.BRAM)('3');
    await h.api({ method: 'POST', url: `/v1/surveys/${s.id}/evaluate` });
    await h.flush();
    expect(h.whatsapp.textsTo(s.address).at(-1)).toBe(
      t('en', 'surveys.decision.nogo', {
        title: 'Concept test',
        figures: '✗ Question 1, answer 1: 1 of 2 (50%), at least 60% and 2 needed',
        community: 'Wijkzorg Utrecht',
        phase: 'initiative',
      }),
    );
  });
});
