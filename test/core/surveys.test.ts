import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/core/i18n/index.js';
import { directMessage, exchange, newGroup, person } from '../helpers/conversation.js';
import { createHarness, groupMessage, seedCommunity, type Harness } from '../helpers/harness.js';

/** New senders per community: a direct chat belongs to the community its sender was last active in. */
let people = 0;
const TEAMS_CHANNEL = '19:surveys0001@thread.tacv2';

/** The four kinds of question, the last one open and optional. */
const QUESTIONS = [
  { kind: 'single', text: 'Do you recognise yourself in this concept?', options: ['Yes', 'Partly', 'No'] },
  { kind: 'multiple', text: 'What blocks you?', options: ['Time', 'Tools', 'Colleagues'] },
  { kind: 'scale', text: 'How much would you like to take a role?' },
  { kind: 'open', text: 'What do you hope to find?', optional: true },
];

interface Results {
  audience: number;
  started: number;
  completed: number;
  responseRate: number;
  byOrganisation: { organisationId: string | null; name: string | null; audience: number; started: number; completed: number; responseRate: number }[];
  questions: { number: number; answered: number; skipped: number; options?: { label: string; count: number }[]; average?: number | null; answers?: { text: string; name?: string; memberId?: string }[] }[];
}

describe('surveys answered in a direct chat', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  /**
   * A community with a WhatsApp group and a Teams channel, two organisations, Anna (WhatsApp,
   * first organisation), Bram (WhatsApp, second) and Carola (Teams, first), and a survey.
   */
  type Orgs = { zorg: string; school: string };
  async function withSurvey(fields: Record<string, unknown> | ((orgs: Orgs) => Record<string, unknown>) = {}, community: Record<string, unknown> = {}) {
    const n = String(++people).padStart(4, '0');
    const [ANNA, BRAM, CAROLA] = [`3161111${n}@c.us`, `3162222${n}@c.us`, `aad-carola-${n}`];
    const seeded = await seedCommunity(h, community, newGroup());
    const cid = seeded.community.id;
    const teamsChannel = `${TEAMS_CHANNEL}-${cid}`;
    expect((await h.api({ method: 'POST', url: `/v1/communities/${cid}/spaces`, payload: { channel: 'teams', externalId: teamsChannel, name: 'Algemeen' } })).statusCode).toBe(201);
    const org = async (name: string) => ((await h.api({ method: 'POST', url: `/v1/communities/${cid}/organisations`, payload: { name } })).json() as { id: string }).id;
    const [zorg, school] = [await org('Zorggroep Noord'), await org('Basisschool De Linde')];
    const join = async (message: ReturnType<typeof groupMessage>, organisationId: string) => {
      const { memberId } = await h.core.receive(message);
      expect((await h.api({ method: 'PATCH', url: `/v1/members/${memberId}`, payload: { organisationId } })).statusCode).toBe(200);
      return memberId!;
    };
    const teamsMessage = (text: string) =>
      groupMessage(teamsChannel, CAROLA, text, { channel: 'teams', space: { externalId: teamsChannel, direct: false }, sender: { externalId: CAROLA, displayName: 'Carola' }, mentioned: true });
    const ids = {
      anna: await join(groupMessage(seeded.group, ANNA, 'Goedemorgen', { sender: { externalId: ANNA, displayName: 'Anna' } }), zorg),
      bram: await join(groupMessage(seeded.group, BRAM, 'Hoi', { sender: { externalId: BRAM, displayName: 'Bram' } }), school),
      carola: await join(teamsMessage('Hallo'), zorg),
    };
    await h.flush();
    const res = await h.api({ method: 'POST', url: `/v1/communities/${cid}/surveys`, payload: { title: 'Concept test', intro: 'Five questions, two minutes.', questions: QUESTIONS, ...(typeof fields === 'function' ? fields({ zorg, school }) : fields) } });
    expect(res.statusCode, res.body).toBe(201);
    const survey = res.json() as { id: string };
    const wave = async () => {
      const r = await h.api({ method: 'POST', url: `/v1/surveys/${survey.id}/waves` });
      expect(r.statusCode, r.body).toBe(200);
      await h.flush();
      return r.json() as { wave: number; audience: number; sent: number; notReachable: number; completed: number };
    };
    const results = async () => (await h.api({ method: 'GET', url: `/v1/surveys/${survey.id}/results` })).json() as Results;
    const dm = (sender: string) => (text: string) => exchange(h, directMessage(sender, text));
    return { ...seeded, ANNA, BRAM, CAROLA, cid, teamsChannel, zorg, school, ids, survey, wave, results, dm, teamsMessage };
  }

  /** The lines that ask question n, as the member reads them. */
  const asks = (language: 'en' | 'nl', n: number, withSkip = false) => {
    const q = QUESTIONS[n - 1]!;
    return [
      t(language, 'surveys.question', { number: n, count: 4, text: q.text }),
      ...(q.options ?? []).map((label, i) => t(language, 'surveys.option', { number: i + 1, label })),
      t(language, `surveys.how.${q.kind as 'single'}`),
      ...(withSkip ? [t(language, 'surveys.how.skip')] : []),
    ].join('\n');
  };

  it('a wave invites in a direct chat; a member answers every kind in Dutch, stops, resumes and finishes', async () => {
    const { wave, dm, results, ANNA, BRAM } = await withSurvey();
    // Carola is on Teams and never wrote to the bot personally: the bot cannot reach her.
    expect(await wave()).toMatchObject({ wave: 1, audience: 3, sent: 2, notReachable: 1, completed: 0, sentAt: expect.any(String), remindAt: null });
    const [invitation] = h.whatsapp.textsTo(`whatsapp:${ANNA}`).slice(-1);
    expect(invitation).toBe([t('nl', 'surveys.intro', { title: 'Concept test' }), 'Five questions, two minutes.', '', asks('nl', 1), t('nl', 'surveys.how.stop')].join('\n'));

    const anna = dm(ANNA);
    expect(await anna('4')).toEqual([t('nl', 'surveys.bad.single', { count: 3 })]);
    expect(await anna('1')).toEqual([asks('nl', 2)]);
    expect(await anna('1, 3')).toEqual([asks('nl', 3)]);
    expect(await anna('overslaan')).toEqual([t('nl', 'surveys.bad.required')]);
    expect(await anna('stop')).toEqual([t('nl', 'surveys.paused', { number: 3 })]);
    // Paused: a plain message is no answer any more but an (unknown) command.
    expect(await anna('5')).toEqual([t('nl', 'unknown.plain', { word: '5' })]);
    expect(await anna('peiling')).toEqual([[t('nl', 'surveys.resume', { title: 'Concept test' }), '', asks('nl', 3), t('nl', 'surveys.how.stop')].join('\n')]);
    expect(await anna('9')).toEqual([t('nl', 'surveys.bad.scale')]);
    expect(await anna('5')).toEqual([asks('nl', 4, true)]);
    expect(await anna('Collega’s die hetzelfde meemaken')).toEqual([t('nl', 'surveys.done', { title: 'Concept test' })]);
    expect(await anna('peiling')).toEqual([t('nl', 'surveys.allDone', { community: 'Wijkzorg Utrecht' })]);

    const r = await results();
    expect(r).toMatchObject({ audience: 3, started: 2, completed: 1 });
    expect(r.questions.map((q) => q.options?.map((o) => o.count))).toEqual([[1, 0, 0], [1, 0, 1], [0, 0, 0, 0, 1], undefined]);
    expect(r.questions[2]!.average).toBe(5);
    expect(r.questions[3]!.answers).toEqual([{ text: 'Collega’s die hetzelfde meemaken', memberId: expect.any(String), name: 'Anna' }]);

    // The second wave reminds Bram where he is, and leaves Anna alone.
    const before = h.whatsapp.textsTo(`whatsapp:${ANNA}`).length;
    expect(await wave()).toMatchObject({ wave: 2, sent: 1, notReachable: 1, completed: 1 });
    expect(h.whatsapp.textsTo(`whatsapp:${ANNA}`)).toHaveLength(before);
    expect(h.whatsapp.textsTo(`whatsapp:${BRAM}`).at(-1)).toBe([t('nl', 'surveys.reminder', { title: 'Concept test' }), '', asks('nl', 1), t('nl', 'surveys.how.stop')].join('\n'));
  });

  it('in English on Teams: a personal chat makes the member reachable, and they answer there', async () => {
    const { wave, results, teamsMessage } = await withSurvey({}, { language: 'en' });
    const conversation = 'a:1personal-carola';
    const carola = (text: string) =>
      exchange(h, {
        ...teamsMessage(text),
        space: { externalId: conversation, direct: true },
        replyAddress: `teams:${conversation}`,
        mentioned: false,
      });
    expect(await carola('survey')).toEqual([[t('en', 'surveys.intro', { title: 'Concept test' }), 'Five questions, two minutes.', '', asks('en', 1), t('en', 'surveys.how.stop')].join('\n')]);
    expect(await carola('2')).toEqual([asks('en', 2)]);
    expect(await carola('tools')).toEqual([t('en', 'surveys.bad.multiple', { count: 3 })]);
    expect(await carola('2')).toEqual([asks('en', 3)]);
    // A command still works with a slash; it does not count as an answer.
    expect((await carola('/rules'))[0]).not.toBe(asks('en', 4, true));
    expect(await carola('stop')).toEqual([t('en', 'surveys.paused', { number: 3 })]);

    // The wave now reaches her on Teams, with a reminder at question 3.
    expect(await wave()).toMatchObject({ sent: 3, notReachable: 0 });
    expect(h.teams.textsTo(`teams:${conversation}`).at(-1)).toBe([t('en', 'surveys.reminder', { title: 'Concept test' }), '', asks('en', 3), t('en', 'surveys.how.stop')].join('\n'));
    expect(await carola('3')).toEqual([asks('en', 4, true)]);
    expect(await carola('skip')).toEqual([t('en', 'surveys.done', { title: 'Concept test' })]);
    const r = await results();
    expect(r.questions[3]).toMatchObject({ answered: 0, skipped: 1, answers: [] });
    expect(r.questions[2]).toMatchObject({ answered: 1, average: 3 });
  });

  it('`peiling` in a group continues in a direct chat; on Teams without a personal chat it says how', async () => {
    const { group, survey, teamsMessage, ANNA } = await withSurvey();
    const anna = person(h, group, ANNA, 'Anna');
    expect(await anna('/peiling')).toEqual([t('nl', 'surveys.group.continue', { name: 'Anna' })]);
    expect(h.whatsapp.textsTo(`whatsapp:${ANNA}`).at(-1)).toContain(asks('nl', 1));
    expect(await exchange(h, directMessage(ANNA, '3'))).toEqual([asks('nl', 2)]);

    const replies = await exchange(h, teamsMessage('peiling'));
    expect(replies).toEqual([t('nl', 'surveys.group.unreachable', { name: 'Carola' })]);
    expect((await h.api({ method: 'GET', url: `/v1/surveys/${survey.id}/results` })).json()).toMatchObject({ started: 1 });
  });

  it('gives the response rate overall and per organisation', async () => {
    const { zorg, school, wave, dm, results, ANNA, BRAM } = await withSurvey();
    await wave();
    for (const answer of ['1', '2', '4', 'overslaan']) await dm(ANNA)(answer);
    await dm(BRAM)('3');
    const r = await results();
    expect(r).toMatchObject({ audience: 3, started: 2, completed: 1, responseRate: 0.3333 });
    expect(r.byOrganisation).toEqual([
      { organisationId: school, name: 'Basisschool De Linde', audience: 1, started: 1, completed: 0, responseRate: 0 },
      { organisationId: zorg, name: 'Zorggroep Noord', audience: 2, started: 1, completed: 1, responseRate: 0.5 },
    ]);
  });

  it('asks only the chosen organisations', async () => {
    const { wave, dm, results, zorg, BRAM } = await withSurvey((orgs) => ({ audience: { organisationIds: [orgs.zorg] } }));
    expect(await wave()).toMatchObject({ wave: 1, audience: 2, sent: 1, notReachable: 1, completed: 0 });
    expect(h.whatsapp.textsTo(`whatsapp:${BRAM}`)).toEqual([]);
    expect(await dm(BRAM)('peiling')).toEqual([t('nl', 'surveys.none', { community: 'Wijkzorg Utrecht' })]);
    expect((await results()).byOrganisation.map((o) => o.organisationId)).toEqual([zorg]);
  });

  it('an anonymous survey shows what was answered, never who', async () => {
    const { wave, dm, results, ANNA, BRAM } = await withSurvey({ anonymous: true });
    await wave();
    for (const answer of ['1', '1', '3', 'Zo min mogelijk vergaderen']) await dm(ANNA)(answer);
    for (const answer of ['2', '2 3', '4', 'Advies van collega’s']) await dm(BRAM)(answer);
    const open = (await results()).questions[3]!;
    expect(open.answers).toEqual([{ text: 'Advies van collega’s' }, { text: 'Zo min mogelijk vergaderen' }]);
    const body = JSON.stringify(await results());
    expect(body).not.toContain('Anna');
    expect(body).not.toContain('Bram');
  });

  it('go moves the phase forward with the figures per rule; no-go leaves it', async () => {
    const rule = { rules: [{ question: 1, option: 1, atLeastShare: 0.6 }, { question: 3, option: 4, atLeastCount: 2 }] };
    const go = await withSurvey({ decisionRule: rule });
    const [ANNA, BRAM] = [go.ANNA, go.BRAM];
    await go.wave();
    for (const answer of ['1', '1', '5', 'overslaan']) await go.dm(ANNA)(answer);
    for (const answer of ['1', '2', '4']) await go.dm(BRAM)(answer);
    const evaluated = await h.api({ method: 'POST', url: `/v1/surveys/${go.survey.id}/evaluate` });
    expect(evaluated.statusCode, evaluated.body).toBe(200);
    expect(evaluated.json()).toMatchObject({
      outcome: 'go',
      phaseBefore: 'initiative',
      phaseAfter: 'concept-and-test',
      rules: [
        { question: 1, option: 1, count: 2, answered: 2, share: 1, atLeastShare: 0.6, met: true },
        { question: 3, option: 4, count: 2, answered: 2, share: 1, atLeastCount: 2, met: true },
      ],
    });
    expect((await h.api({ method: 'GET', url: `/v1/communities/${go.cid}` })).json()).toMatchObject({ phase: 'concept-and-test' });
    // One go per survey: the phase moves once.
    expect((await h.api({ method: 'POST', url: `/v1/surveys/${go.survey.id}/evaluate` })).statusCode).toBe(409);

    const noGo = await withSurvey({ decisionRule: rule }, { phase: 'concept-and-test' });
    await noGo.wave();
    for (const answer of ['1', '1', '5']) await noGo.dm(noGo.ANNA)(answer);
    for (const answer of ['3', '2', '2']) await noGo.dm(noGo.BRAM)(answer);
    const refused = (await h.api({ method: 'POST', url: `/v1/surveys/${noGo.survey.id}/evaluate` })).json();
    expect(refused).toMatchObject({
      outcome: 'no-go',
      phaseBefore: 'concept-and-test',
      phaseAfter: 'concept-and-test',
      rules: [
        { count: 1, answered: 2, share: 0.5, met: false },
        { count: 1, answered: 2, share: 0.5, met: false },
      ],
    });
    expect((await h.api({ method: 'GET', url: `/v1/communities/${noGo.cid}` })).json()).toMatchObject({ phase: 'concept-and-test' });
    const recorded = (await h.api({ method: 'GET', url: `/v1/communities/${noGo.cid}/decisions` })).json();
    expect(recorded).toMatchObject({ total: 1, items: [{ surveyId: noGo.survey.id, outcome: 'no-go', figures: [{ met: false }, { met: false }] }] });
  });

  it('someone in two communities answers the survey whose question came last', async () => {
    const first = await withSurvey();
    // Anna is later active in a second community: her direct chat now belongs to that one.
    h.clock.advance(60 * 60_000);
    const second = await seedCommunity(h, { name: 'Tweede community' }, newGroup());
    await h.core.receive(groupMessage(second.group, first.ANNA, 'Hallo'));
    expect(await first.wave()).toMatchObject({ sent: 2 });
    expect(await first.dm(first.ANNA)('3')).toEqual([asks('nl', 2)]);
    expect((await first.results()).questions[0]!.options!.map((o) => o.count)).toEqual([0, 0, 1]);
  });

  it('a closed survey takes no more answers and says so', async () => {
    const { wave, dm, survey, ANNA } = await withSurvey({}, { language: 'en' });
    await wave();
    expect(await dm(ANNA)('1')).toEqual([asks('en', 2)]);
    expect((await h.api({ method: 'POST', url: `/v1/surveys/${survey.id}/close` })).statusCode).toBe(200);
    expect(await dm(ANNA)('2')).toEqual([t('en', 'surveys.closed', { title: 'Concept test' })]);
    expect(await dm(ANNA)('survey')).toEqual([t('en', 'surveys.none', { community: 'Wijkzorg Utrecht' })]);
  });
});
