import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatWhen } from '../../src/core/events/format.js';
import { t } from '../../src/core/i18n/index.js';
import { createCore } from '../../src/core/index.js';
import { listScheduledStories } from '../../src/core/stories/stories.service.js';
import { STORY_MAX } from '../../src/core/stories/story.js';
import { expectProblem, managerToken } from '../http/support.js';
import { directMessage, exchange, newGroup, person } from '../helpers/conversation.js';
import { createHarness, groupMessage, seedCommunity, type Harness } from '../helpers/harness.js';

let people = 0;
const DAY = 24 * 60 * 60_000;
const WEBINAR = 'We organiseerden een webinar over privacy met mooie sprekers. Het aantal aanmeldingen? Twee. We hadden niet gevraagd waar men tegenaan liep.';

interface Story {
  id: string;
  status: string;
  text: string;
  anonymous: boolean;
  authorName: string;
  parts: Record<string, string> | null;
  publishAt: string | null;
  number: number | null;
  rejectReason: string | null;
}

describe('failure stories ("Dit ging helemaal mis bij…")', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  /** A community with a WhatsApp group and a Teams channel; Anna (Zorggroep Noord) and Bram write in the group. */
  async function community(language: 'nl' | 'en' = 'nl') {
    const n = String(++people).padStart(4, '0');
    const [ANNA, BRAM] = [`3164444${n}@c.us`, `3165555${n}@c.us`];
    const seeded = await seedCommunity(h, { language }, newGroup());
    const cid = seeded.community.id;
    const teams = `19:stories-${cid}@thread.tacv2`;
    expect((await h.api({ method: 'POST', url: `/v1/communities/${cid}/spaces`, payload: { channel: 'teams', externalId: teams, name: 'Algemeen' } })).statusCode).toBe(201);
    const org = (await h.api({ method: 'POST', url: `/v1/communities/${cid}/organisations`, payload: { name: 'Zorggroep Noord' } })).json() as { id: string };
    const anna = person(h, seeded.group, ANNA, 'Anna');
    const bram = person(h, seeded.group, BRAM, 'Bram');
    const annaId = (await h.core.receive(groupMessage(seeded.group, ANNA, 'Hallo', { sender: { externalId: ANNA, displayName: 'Anna' } }))).memberId!;
    await h.api({ method: 'PATCH', url: `/v1/members/${annaId}`, payload: { organisationId: org.id } });
    await h.flush();
    const list = async (status?: string) =>
      ((await h.api({ method: 'GET', url: `/v1/communities/${cid}/stories${status ? `?status=${status}` : ''}` })).json() as { items: Story[]; total: number });
    const patch = (id: string, payload: object, token?: string) => h.api({ method: 'PATCH', url: `/v1/stories/${id}`, payload, token });
    const dm = (sender: string) => (text: string) => exchange(h, directMessage(sender, text));
    const posts = (text: string) => [...h.whatsapp.textsTo(seeded.address), ...h.teams.textsTo(`teams:${teams}`)].filter((x) => x === text);
    return { ...seeded, cid, teams, ANNA, BRAM, anna, bram, list, patch, dm, posts };
  }

  it('a story in one message goes to the manager for review; the author may make it anonymous (Dutch)', async () => {
    const c = await community('nl');
    expect(await c.anna(`/verhaal ${WEBINAR}`)).toEqual([[t('nl', 'stories.submitted', { name: 'Anna' }), t('nl', 'stories.submitted.credited')].join('\n')]);
    expect((await c.list('submitted')).items).toMatchObject([{ text: WEBINAR, anonymous: false, authorName: 'Anna', parts: null, status: 'submitted' }]);
    expect(await c.anna('/verhaal anoniem')).toEqual([t('nl', 'stories.madeAnonymous')]);
    expect((await c.list()).items).toMatchObject([{ text: WEBINAR, anonymous: true }]);
    // Anonymous from the start, and too long.
    expect(await c.bram('/verhaal anoniem Onze scan werd één keer gebruikt.')).toEqual([[t('nl', 'stories.submitted', { name: 'Bram' }), t('nl', 'stories.submitted.anonymous')].join('\n')]);
    const long = 'a'.repeat(STORY_MAX + 1);
    expect(await c.bram(`/verhaal ${long}`)).toEqual([t('nl', 'stories.tooLong', { max: STORY_MAX, length: STORY_MAX + 1 })]);
    expect((await c.list()).total).toBe(2);
  });

  it('`story` in a direct chat asks step by step, can stop and resume, and the author chooses (English)', async () => {
    const c = await community('en');
    await c.anna('/story');
    const anna = c.dm(c.ANNA);
    // From the group, the questions came in her direct chat.
    expect(h.whatsapp.textsTo(`whatsapp:${c.ANNA}`).at(-1)).toBe([t('en', 'stories.guided.intro'), '', t('en', 'stories.q.1')].join('\n'));
    expect(await anna('We built a privacy scan for every organisation.')).toEqual([t('en', 'stories.q.2')]);
    expect(await anna('stop')).toEqual([t('en', 'stories.guided.paused')]);
    // Paused: a plain message is a command again, not an answer.
    expect(await anna('hello')).toEqual([t('en', 'unknown.plain', { word: 'hello' })]);
    expect(await anna('story')).toEqual([[t('en', 'stories.guided.resume'), '', t('en', 'stories.q.2')].join('\n')]);
    expect(await anna('   ')).toEqual([t('en', 'stories.bad.empty')]);
    expect(await anna('It was used once.')).toEqual([t('en', 'stories.q.3')]);
    expect(await anna('story')).toEqual([t('en', 'stories.q.3')]);
    expect(await anna('Ask what people need first.')).toEqual([t('en', 'stories.q.4', { name: 'Anna' })]);
    expect(await anna('3')).toEqual([t('en', 'stories.bad.credit')]);
    expect(await anna('2')).toEqual([[t('en', 'stories.submitted', { name: 'Anna' }), t('en', 'stories.submitted.anonymous')].join('\n')]);

    const [story] = (await c.list()).items;
    expect(story).toMatchObject({
      status: 'submitted',
      anonymous: true,
      parts: { tried: 'We built a privacy scan for every organisation.', wentWrong: 'It was used once.', learned: 'Ask what people need first.' },
      text: [
        t('en', 'stories.part.1', { text: 'We built a privacy scan for every organisation.' }),
        t('en', 'stories.part.2', { text: 'It was used once.' }),
        t('en', 'stories.part.3', { text: 'Ask what people need first.' }),
      ].join('\n\n'),
    });
    // Done: a plain message is no answer any more.
    expect(await anna('thanks')).toEqual([t('en', 'unknown.plain', { word: 'thanks' })]);
  });

  it('a story started during a survey takes the answers; the survey goes on where it was after', async () => {
    const c = await community('en');
    await c.anna('Hello');
    const res = await h.api({ method: 'POST', url: `/v1/communities/${c.cid}/surveys`, payload: { title: 'Needs', questions: [{ kind: 'open', text: 'What do you run into?' }, { kind: 'open', text: 'What do you hope to find?' }] } });
    const survey = (res.json() as { id: string }).id;
    await h.api({ method: 'POST', url: `/v1/surveys/${survey}/waves` });
    await h.flush();
    const anna = c.dm(c.ANNA);
    expect((await anna('Too many meetings.'))[0]).toContain('What do you hope to find?');
    // While a survey is in progress a plain word is its answer: a command needs its slash.
    h.clock.advance(60_000);
    expect((await anna('/story'))[0]).toContain(t('en', 'stories.q.1'));
    expect(await anna('A scan nobody used.')).toEqual([t('en', 'stories.q.2')]);
    expect(await anna('stop')).toEqual([t('en', 'stories.guided.paused')]);
    // The story paused, the survey takes the next message again.
    expect(await anna('Colleagues who understand.')).toEqual([t('en', 'surveys.done', { title: 'Needs' })]);
    expect((await c.list()).total).toBe(0);
  });

  it('on Teams without a personal chat, `story` alone says how, and starts nothing', async () => {
    const c = await community('nl');
    const carola = 'aad-carola-stories';
    const replies = await exchange(h, groupMessage(c.teams, carola, 'verhaal', { channel: 'teams', space: { externalId: c.teams, direct: false }, sender: { externalId: carola, displayName: 'Carola' }, mentioned: true }));
    expect(replies).toEqual([t('nl', 'stories.guided.unreachable', { name: 'Carola' })]);
    expect((await c.list()).total).toBe(0);
  });

  it('the manager approves, schedules, edits or rejects with a reason; the author is told', async () => {
    const c = await community('nl');
    await c.anna(`/verhaal ${WEBINAR}`);
    await c.bram('/verhaal Iets wat niet past.');
    const { items } = await c.list();
    const [anna, bram] = [items.find((s) => s.authorName === 'Anna'), items.find((s) => s.authorName === 'Bram')];
    expectProblem(await c.patch(bram!.id, { status: 'rejected' }), 400, 'invalid');
    expectProblem(await c.patch(bram!.id, { publishAt: new Date(h.clock.now().getTime() + DAY).toISOString() }), 400, 'invalid');
    expectProblem(await c.patch(bram!.id, { status: 'published' }), 400, 'validation');
    const rejected = await c.patch(bram!.id, { status: 'rejected', reason: 'Dit gaat niet over iets dat misging.' });
    expect(rejected.json()).toMatchObject({ status: 'rejected', rejectReason: 'Dit gaat niet over iets dat misging.', publishAt: null });
    await h.flush();
    expect(h.whatsapp.textsTo(`whatsapp:${c.BRAM}`)).toEqual([t('nl', 'stories.rejected', { name: 'Bram', reason: 'Dit gaat niet over iets dat misging.' })]);

    const at = new Date(h.clock.now().getTime() + 2 * DAY);
    const approved = await c.patch(anna!.id, { status: 'approved', publishAt: at.toISOString(), text: `${WEBINAR} Werk vanuit de behoefte.` });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved', publishAt: at.toISOString(), text: `${WEBINAR} Werk vanuit de behoefte.` });
    await h.flush();
    expect(h.whatsapp.textsTo(`whatsapp:${c.ANNA}`)).toEqual([t('nl', 'stories.approved', { name: 'Anna', date: formatWhen('nl', at, 'Europe/Amsterdam') })]);
    expect((await c.list('approved')).items.map((s) => s.id)).toEqual([anna!.id]);
    expect((await h.api({ method: 'GET', url: `/v1/stories/${anna!.id}` })).json()).toMatchObject({ status: 'approved' });

    // Another community's manager sees none of it.
    const other = await seedCommunity(h, {}, newGroup());
    const token = await managerToken(h, other.community.id);
    expectProblem(await h.api({ method: 'GET', url: `/v1/stories/${anna!.id}`, token }), 404, 'not-found');
    expectProblem(await c.patch(anna!.id, { status: 'rejected', reason: 'x' }, token), 404, 'not-found');
    expectProblem(await h.api({ method: 'GET', url: `/v1/communities/${c.cid}/stories`, token }), 404, 'not-found');
  });

  it('publishes approved stories on their date as a numbered series, exactly once with two schedulers, anonymous as chosen', async () => {
    const c = await community('nl');
    await c.anna(`/verhaal ${WEBINAR}`);
    await c.bram('/verhaal anoniem Onze scan werd één keer gebruikt.');
    const { items } = await c.list();
    const [anna, bram] = [items.find((s) => s.authorName === 'Anna'), items.find((s) => s.authorName === 'Bram')];
    const start = h.clock.now().getTime();
    await c.patch(anna!.id, { status: 'approved', publishAt: new Date(start + DAY).toISOString() });
    await c.patch(bram!.id, { status: 'approved', publishAt: new Date(start + 2 * DAY).toISOString() });

    // The content calendar lists what is planned.
    const planned = await listScheduledStories(h.database.db, c.cid, new Date(start), new Date(start + 3 * DAY));
    expect(planned.map((p) => [p.storyId, p.status, p.at.toISOString()])).toEqual([
      [anna!.id, 'approved', new Date(start + DAY).toISOString()],
      [bram!.id, 'approved', new Date(start + 2 * DAY).toISOString()],
    ]);

    const other = createCore({ db: h.database.db, logger: pino({ level: 'silent' }), clock: h.clock.now });
    const run = () => Promise.all([h.core.scheduler.runOnce(), other.scheduler.runOnce(), h.core.stories.publishDue(), other.stories.publishDue()]);
    const first = t('nl', 'stories.published', { number: 1, text: WEBINAR, author: t('nl', 'stories.author.organisation', { name: 'Anna', organisation: 'Zorggroep Noord' }) });
    const second = t('nl', 'stories.published', { number: 2, text: 'Onze scan werd één keer gebruikt.', author: t('nl', 'stories.author.anonymous') });

    await run();
    await h.flush();
    expect(c.posts(first)).toEqual([]);
    h.clock.advance(DAY);
    await run();
    await run();
    await h.flush();
    expect(c.posts(first)).toHaveLength(2); // the WhatsApp group and the Teams channel, once each
    h.clock.advance(DAY);
    await run();
    await h.flush();
    expect(c.posts(second)).toHaveLength(2);
    const published = h.whatsapp.textsTo(c.address).filter((x) => x.startsWith('📖'));
    expect(published).toEqual([first, second]);
    expect(published.join('\n')).not.toContain('Bram');

    expect((await c.list('published')).items.map((s) => [s.id, s.number])).toEqual([
      [bram!.id, 2],
      [anna!.id, 1],
    ]);
    expect((await h.api({ method: 'GET', url: `/v1/communities/${c.cid}/stories/scheduled?from=${new Date(start).toISOString()}&to=${new Date(start + 3 * DAY).toISOString()}` })).json()).toMatchObject({
      items: [{ storyId: anna!.id, status: 'published', number: 1 }, { storyId: bram!.id, status: 'published', number: 2 }],
    });
    expectProblem(await c.patch(anna!.id, { text: 'Toch anders.' }), 409, 'conflict');
    await other.dispatcher.stop();
  });
});
