import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDate, t } from '../../src/core/i18n/index.js';
import { createCore } from '../../src/core/index.js';
import { DECLARATION_MAX_CHARS } from '../../src/db/schema/index.js';
import { expectProblem, managerToken } from '../http/support.js';
import { directMessage, exchange, newGroup, outboxTo, person } from '../helpers/conversation.js';
import { createHarness, groupMessage, seedCommunity, type Harness } from '../helpers/harness.js';

let people = 0;
const TEXT = 'Wij, de deelnemende organisaties, zetten de samenwerking voort.\n\nWe delen kennis & ervaring <openlijk>.';
const WEEK = 7 * 24 * 60 * 60_000;

describe('the intent declaration (intentieverklaring)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  /**
   * A community with a WhatsApp group and a Teams channel, two organisations whose
   * representatives are Anna and Bram, and Carola, who represents nobody.
   */
  async function steeringGroup(language: 'nl' | 'en' = 'nl') {
    const n = String(++people).padStart(4, '0');
    const [ANNA, BRAM, CAROLA] = [`3161111${n}@c.us`, `3162222${n}@c.us`, `3163333${n}@c.us`];
    const seeded = await seedCommunity(h, { language }, newGroup());
    const cid = seeded.community.id;
    const teams = `19:declaration-${cid}@thread.tacv2`;
    expect((await h.api({ method: 'POST', url: `/v1/communities/${cid}/spaces`, payload: { channel: 'teams', externalId: teams, name: 'Algemeen' } })).statusCode).toBe(201);
    const member = async (sender: string, name: string) => (await h.core.receive(groupMessage(seeded.group, sender, 'Hallo', { sender: { externalId: sender, displayName: name } }))).memberId!;
    const ids = { anna: await member(ANNA, 'Anna'), bram: await member(BRAM, 'Bram'), carola: await member(CAROLA, 'Carola') };
    const org = async (name: string, representativeId: string | null) => {
      const res = await h.api({ method: 'POST', url: `/v1/communities/${cid}/organisations`, payload: { name, representativeId } });
      expect(res.statusCode, res.body).toBe(201);
      return (res.json() as { id: string }).id;
    };
    const orgs = { zorg: await org('Zorggroep Noord', ids.anna), school: await org('Basisschool De Linde', ids.bram) };
    await h.flush();
    const put = (text: string, token?: string) => h.api({ method: 'PUT', url: `/v1/communities/${cid}/declaration`, payload: { text }, token });
    const get = async () => (await h.api({ method: 'GET', url: `/v1/communities/${cid}/declaration` })).json() as Declaration;
    const spaceTexts = () => [...h.whatsapp.textsTo(seeded.address), ...h.teams.textsTo(`teams:${teams}`)];
    return { ...seeded, cid, teams, ANNA, BRAM, CAROLA, ids, orgs, put, get, spaceTexts, anna: person(h, seeded.group, ANNA, 'Anna'), carola: person(h, seeded.group, CAROLA, 'Carola') };
  }

  interface Declaration {
    version: number;
    text: string;
    complete: boolean;
    celebratedAt: string | null;
    signed: { organisationId: string; organisation: string; memberId: string | null; name: string; version: number; via: string; signedAt: string }[];
    unsigned: { organisationId: string; organisation: string; representative: string | null }[];
  }

  const toast = (language: 'nl' | 'en') => t(language, 'declaration.toast', { community: 'Wijkzorg Utrecht', organisations: 'Basisschool De Linde, Zorggroep Noord' });

  it('refuses a text longer than one A4 page with declaration-too-long, naming the limit and the length', async () => {
    const { put, get } = await steeringGroup();
    const body = expectProblem(await put('x'.repeat(DECLARATION_MAX_CHARS + 12)), 400, 'declaration-too-long');
    expect(body.detail).toContain(String(DECLARATION_MAX_CHARS));
    expect(body.detail).toContain(String(DECLARATION_MAX_CHARS + 12));
    expect(body.errors).toEqual([{ path: 'body/text', message: `is ${DECLARATION_MAX_CHARS + 12} characters; the limit is ${DECLARATION_MAX_CHARS}` }]);
    expect((await h.api({ method: 'GET', url: `/v1/communities/${(await steeringGroup()).cid}/declaration` })).statusCode).toBe(404);
    // Characters as a reader counts them: 3,500 emoji fit, though they are 7,000 UTF-16 units.
    const res = await put('🥂'.repeat(DECLARATION_MAX_CHARS));
    expect(res.statusCode, res.body).toBe(200);
    expect((await get()).version).toBe(1);
  });

  it('publishes a version to every space, asks each representative, and signing in chat is idempotent (Dutch)', async () => {
    const g = await steeringGroup('nl');
    const res = await g.put(TEXT);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ version: 1, created: true, complete: false, signed: [] });
    await h.flush();
    const published = t('nl', 'declaration.published.first', { community: 'Wijkzorg Utrecht', version: 1, text: TEXT });
    expect(h.whatsapp.textsTo(g.address)).toContain(published);
    expect(h.teams.textsTo(`teams:${g.teams}`)).toContain(published);
    expect(h.whatsapp.textsTo(`whatsapp:${g.ANNA}`)).toEqual([t('nl', 'declaration.ask', { name: 'Anna', version: 1, community: 'Wijkzorg Utrecht', organisation: 'Zorggroep Noord' })]);
    expect(h.whatsapp.textsTo(`whatsapp:${g.BRAM}`)).toHaveLength(1);
    // Teams shows the ask with a button that runs `sign`.
    expect((await outboxTo(h, `whatsapp:${g.ANNA}`))[0]!.payload.actions).toEqual([{ label: t('nl', 'declaration.button.sign'), command: 'sign' }]);
    expect(h.whatsapp.textsTo(`whatsapp:${g.CAROLA}`)).toEqual([]);
    // The same text again is no new version.
    expect((await g.put(TEXT)).json()).toMatchObject({ version: 1, created: false });

    const today = formatDate('nl', h.clock.now(), 'Europe/Amsterdam');
    expect(await g.anna('/teken')).toEqual([
      [t('nl', 'declaration.sign.done', { name: 'Anna', version: 1, organisation: 'Zorggroep Noord' }), t('nl', 'declaration.sign.count', { signed: 1, total: 2 })].join('\n'),
    ]);
    expect(await g.anna('/teken')).toEqual([
      [t('nl', 'declaration.sign.already', { organisation: 'Zorggroep Noord', version: 1, signer: 'Anna', date: today }), t('nl', 'declaration.sign.count', { signed: 1, total: 2 })].join('\n'),
    ]);
    // Someone who represents nobody is told who may sign.
    expect(await g.carola('/teken')).toEqual([
      t('nl', 'declaration.sign.refused', { list: 'Bram (Basisschool De Linde), Anna (Zorggroep Noord)' }),
    ]);

    const d = await g.get();
    expect(d.signed).toEqual([
      { organisationId: g.orgs.zorg, organisation: 'Zorggroep Noord', memberId: g.ids.anna, name: 'Anna', version: 1, via: 'chat', signedAt: h.clock.now().toISOString() },
    ]);
    expect(d.unsigned).toEqual([{ organisationId: g.orgs.school, organisation: 'Basisschool De Linde', representativeId: g.ids.bram, representative: 'Bram' }]);
    expect(d.complete).toBe(false);
    // `verklaring` shows the text and who signed.
    const [shown] = await g.carola('/verklaring');
    expect(shown).toContain(TEXT);
    expect(shown).toContain(t('nl', 'declaration.line.signed', { organisation: 'Zorggroep Noord', name: 'Anna', date: today }));
    expect(shown).toContain(t('nl', 'declaration.line.unsigned', { organisation: 'Basisschool De Linde' }));
    expect(g.spaceTexts()).not.toContain(toast('nl'));
  });

  it('the last signature brings the toast to every space, once per version; a new version needs new signatures (English)', async () => {
    const g = await steeringGroup('en');
    await g.put(TEXT);
    await g.anna('/sign');
    // Bram signs in his direct chat with the bot.
    expect(await exchange(h, directMessage(g.BRAM, 'sign'))).toEqual([
      [t('en', 'declaration.sign.done', { name: 'Bram', version: 1, organisation: 'Basisschool De Linde' }), t('en', 'declaration.sign.count', { signed: 2, total: 2 })].join('\n'),
    ]);
    await exchange(h, directMessage(g.BRAM, 'sign'));
    const again = await h.api({ method: 'POST', url: `/v1/communities/${g.cid}/declaration/signatures`, payload: { organisationId: g.orgs.school } });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ created: false, complete: true, signature: { name: 'Bram', via: 'chat', version: 1 } });
    await h.flush();
    expect(h.whatsapp.textsTo(g.address).filter((x) => x === toast('en'))).toHaveLength(1);
    expect(h.teams.textsTo(`teams:${g.teams}`).filter((x) => x === toast('en'))).toHaveLength(1);
    expect(await g.get()).toMatchObject({ complete: true, celebratedAt: expect.any(String) });

    // Version 2: earlier signatures do not count; the spaces are told, the representatives asked.
    h.clock.advance(60_000);
    expect((await g.put(`${TEXT}\n\nVersie twee.`)).json()).toMatchObject({ version: 2, created: true, complete: false, signed: [], celebratedAt: null });
    await h.flush();
    expect(h.whatsapp.textsTo(g.address)).toContain(t('en', 'declaration.published.changed', { community: 'Wijkzorg Utrecht', version: 2, text: `${TEXT}\n\nVersie twee.` }));
    expect(h.whatsapp.textsTo(`whatsapp:${g.ANNA}`).at(-1)).toBe(t('en', 'declaration.ask', { name: 'Anna', version: 2, community: 'Wijkzorg Utrecht', organisation: 'Zorggroep Noord' }));
    expect((await g.anna('/sign'))[0]).toContain(t('en', 'declaration.sign.done', { name: 'Anna', version: 2, organisation: 'Zorggroep Noord' }));
    await exchange(h, directMessage(g.BRAM, 'sign'));
    await h.flush();
    expect(h.whatsapp.textsTo(g.address).filter((x) => x === toast('en'))).toHaveLength(2);
  });

  it('two representatives signing at once on two instances: the toast goes out exactly once', async () => {
    const g = await steeringGroup('nl');
    await g.put(TEXT);
    const other = createCore({ db: h.database.db, logger: pino({ level: 'silent' }), clock: h.clock.now });
    const results = await Promise.all([
      h.core.declaration.sign({ kind: 'admin' }, g.cid, { organisationId: g.orgs.zorg }),
      other.declaration.sign({ kind: 'admin' }, g.cid, { organisationId: g.orgs.school }),
    ]);
    expect(results.map((r) => r.created)).toEqual([true, true]);
    expect(results.some((r) => r.complete)).toBe(true);
    await h.flush();
    expect(g.spaceTexts().filter((x) => x === toast('nl'))).toHaveLength(2); // one per space
    await other.dispatcher.stop();
  });

  it('over the API: an organisation without a representative signs on paper, named in signedBy', async () => {
    const g = await steeringGroup('nl');
    await g.put(TEXT);
    const res = await h.api({ method: 'POST', url: `/v1/communities/${g.cid}/organisations`, payload: { name: 'Gemeente Utrecht' } });
    const gemeente = (res.json() as { id: string }).id;
    const sign = (payload: object) => h.api({ method: 'POST', url: `/v1/communities/${g.cid}/declaration/signatures`, payload });
    expectProblem(await sign({ organisationId: gemeente }), 400, 'invalid');
    const signed = await sign({ organisationId: gemeente, signedBy: 'Wethouder J. de Vries' });
    expect(signed.statusCode, signed.body).toBe(201);
    expect(signed.json()).toMatchObject({ created: true, complete: false, signature: { organisation: 'Gemeente Utrecht', name: 'Wethouder J. de Vries', memberId: null, via: 'api', version: 1 } });
    expect((await sign({ organisationId: gemeente, signedBy: 'Iemand anders' })).json()).toMatchObject({ created: false, signature: { name: 'Wethouder J. de Vries' } });
    expectProblem(await sign({ organisationId: gemeente, extra: 1 }), 400, 'validation');
    expectProblem(await h.api({ method: 'PUT', url: `/v1/communities/${g.cid}/declaration`, payload: { text: TEXT, version: 3 } }), 400, 'validation');
    expectProblem(await g.put('   '), 400, 'validation');
    // Another community's manager sees nothing of it.
    const other = await seedCommunity(h, {}, newGroup());
    const token = await managerToken(h, other.community.id);
    expectProblem(await h.api({ method: 'GET', url: `/v1/communities/${g.cid}/declaration`, token }), 404, 'not-found');
    expectProblem(await g.put('Iets anders', token), 404, 'not-found');
  });

  it('reminds the representatives who have not signed weekly, once per week with two schedulers', async () => {
    const g = await steeringGroup('nl');
    await g.put(TEXT);
    await g.anna('/teken');
    await h.flush();
    const bram = () => h.whatsapp.textsTo(`whatsapp:${g.BRAM}`);
    const anna = () => h.whatsapp.textsTo(`whatsapp:${g.ANNA}`);
    const [annaBefore, bramBefore] = [anna().length, bram().length];
    const other = createCore({ db: h.database.db, logger: pino({ level: 'silent' }), clock: h.clock.now });
    const reminder = t('nl', 'declaration.reminder', { name: 'Bram', organisation: 'Basisschool De Linde', version: 1, community: 'Wijkzorg Utrecht' });

    h.clock.advance(WEEK - 60_000);
    await Promise.all([h.core.scheduler.runOnce(), other.scheduler.runOnce()]);
    await h.flush();
    expect(bram()).toHaveLength(bramBefore);

    h.clock.advance(60_000);
    await Promise.all([h.core.scheduler.runOnce(), other.scheduler.runOnce()]);
    await Promise.all([h.core.scheduler.runOnce(), other.scheduler.runOnce()]);
    await h.flush();
    expect(bram().slice(bramBefore)).toEqual([reminder]);
    expect(anna()).toHaveLength(annaBefore);

    // By hand, at once: the manager asks again.
    const res = await h.api({ method: 'POST', url: `/v1/communities/${g.cid}/declaration/reminders` });
    expect(res.json()).toEqual({ reminded: 1, notReachable: 0, withoutRepresentative: 0 });
    await h.flush();
    expect(bram().slice(bramBefore)).toEqual([reminder, reminder]);
    await other.dispatcher.stop();
  });

  it('prints an A4 page with the escaped text, the signatures, and blank lines for who has not signed', async () => {
    const g = await steeringGroup('nl');
    await g.put(`${TEXT}\n<script>alert(1)</script>`);
    await g.anna('/teken');
    const url = `/v1/communities/${g.cid}/declaration/print`;
    const page = await h.api({ method: 'GET', url });
    expect(page.statusCode, page.body).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const html = page.body;
    expect(html).toContain('@page { size: A4');
    expect(html).toContain('<h1>Intentieverklaring — Wijkzorg Utrecht</h1>');
    expect(html).toContain('kennis &amp; ervaring &lt;openlijk&gt;');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    const date = formatDate('nl', h.clock.now(), 'Europe/Amsterdam');
    expect(html).toMatch(new RegExp(`<tr><td>Zorggroep Noord</td><td>Anna</td><td>${date}</td>`));
    expect(html).toContain('<tr class="blank"><td>Basisschool De Linde</td><td>Bram</td><td><span class="line"></span></td>');

    // A browser following a link: no bearer, the link's secret.
    expectProblem(await h.api({ method: 'GET', url, token: null }), 401, 'unauthorized');
    const link = await h.api({ method: 'POST', url: `${url}-link` });
    expect(link.statusCode, link.body).toBe(201);
    const { url: printUrl } = link.json() as { url: string };
    const path = printUrl.slice(printUrl.indexOf('/v1/'));
    const viaLink = await h.api({ method: 'GET', url: path, token: null });
    expect(viaLink.statusCode, viaLink.body).toBe(200);
    expect(viaLink.body).toBe(html);
    expectProblem(await h.api({ method: 'GET', url: `${url}?token=${'x'.repeat(32)}`, token: null }), 404, 'not-found');
    // The link works for a week.
    h.clock.advance(WEEK + 1);
    expectProblem(await h.api({ method: 'GET', url: path, token: null }), 404, 'not-found');
  });
});
