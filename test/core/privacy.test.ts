import { count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/core/i18n/index.js';
import { conversationReferences, declarationSignatures, inboundMessages, members, organisations, outbox, stories } from '../../src/db/schema/index.js';
import { directMessage, exchange, newGroup, person } from '../helpers/conversation.js';
import { createHarness, groupMessage, seedCommunity, type Harness } from '../helpers/harness.js';
import { expectProblem, managerToken } from '../http/support.js';

let people = 0;
const DAY = 24 * 60 * 60_000;

describe('privacy: a member’s data, exported and erased (AVG/GDPR)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  /** A community with a WhatsApp group where Anna and Bram wrote, and an activity next week with one place. */
  async function community(language: 'nl' | 'en' = 'nl') {
    const n = String(++people).padStart(4, '0');
    const [ANNA, BRAM] = [`3161111${n}@c.us`, `3162222${n}@c.us`];
    const seeded = await seedCommunity(h, { language, purpose: 'Samen leren over roosters' }, newGroup());
    const cid = seeded.community.id;
    const anna = person(h, seeded.group, ANNA, 'Anna');
    const bram = person(h, seeded.group, BRAM, 'Bram');
    const annaId = (await h.core.receive(groupMessage(seeded.group, ANNA, 'Hallo', { sender: { externalId: ANNA, displayName: 'Anna' } }))).memberId!;
    const bramId = (await h.core.receive(groupMessage(seeded.group, BRAM, 'Hoi', { sender: { externalId: BRAM, displayName: 'Bram' } }))).memberId!;
    const startsAt = new Date(h.clock.now().getTime() + 7 * DAY);
    const event = await h.api({
      method: 'POST',
      url: `/v1/communities/${cid}/events`,
      payload: { kind: 'meetup', title: 'Intervisie', startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + 2 * 3600_000).toISOString(), capacity: 1 },
    });
    expect(event.statusCode, event.body).toBe(201);
    const number = (event.json() as { number: number }).number;
    await h.flush();
    return { ...seeded, cid, ANNA, BRAM, anna, bram, annaId, bramId, number };
  }

  const memberRow = async (id: string) => (await h.database.db.select().from(members).where(eq(members.id, id)))[0];

  it('exports everything kept about a member as one JSON file, for their community’s manager only', async () => {
    const c = await community();
    await c.anna(`/aanmelden ${c.number}`);
    await c.anna('/vraag Hoe plannen jullie de nachtdiensten?');
    await c.anna('/verhaal Onze scan werd één keer gebruikt.');
    await exchange(h, directMessage(c.ANNA, 'privacy'));

    const res = await h.api({ method: 'GET', url: `/v1/members/${c.annaId}/export` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="member-${c.annaId}.json"`);
    const body = res.json();
    expect(body.member).toMatchObject({ id: c.annaId, displayName: 'Anna', role: 'member' });
    expect(body.identities).toMatchObject([{ channel: 'whatsapp', externalId: c.ANNA, directAddress: `whatsapp:${c.ANNA}` }]);
    expect(body.events).toMatchObject([{ event: 'Intervisie', status: 'confirmed' }]);
    expect(body.questionsAsked).toMatchObject([{ text: 'Hoe plannen jullie de nachtdiensten?' }]);
    expect(body.stories).toMatchObject([{ status: 'submitted', text: 'Onze scan werd één keer gebruikt.' }]);
    expect(body.messages.count).toBe(5);
    expect(body.messages.commands).toMatchObject({ join: 1, ask: 1, story: 1, privacy: 1 });
    expect(body.spaces).toMatchObject([{ channel: 'whatsapp' }]);
    // What the bot wrote in her own chat is hers too.
    expect(body.directMessages.map((m: { text: string }) => m.text).join('\n')).toContain('Anna');

    // Another community's manager learns nothing, not even that she exists; bad ids are a 400.
    const other = await seedCommunity(h, {}, newGroup());
    expectProblem(await h.api({ method: 'GET', url: `/v1/members/${c.annaId}/export`, token: await managerToken(h, other.community.id) }), 404, 'not-found');
    expect((await h.api({ method: 'GET', url: `/v1/members/${c.annaId}/export`, token: await managerToken(h, c.cid) })).statusCode).toBe(200);
    expectProblem(await h.api({ method: 'GET', url: '/v1/members/not-a-uuid/export' }), 400, 'validation');
    expectProblem(await h.api({ method: 'DELETE', url: `/v1/members/${c.annaId}`, token: await managerToken(h, other.community.id) }), 404, 'not-found');
    expect(await memberRow(c.annaId)).toBeDefined();
  });

  it('erasing a member frees her place for the waiting list and keeps what others rely on without her name', async () => {
    const c = await community();
    await c.anna(`/aanmelden ${c.number}`);
    expect(await c.bram(`/aanmelden ${c.number}`)).toEqual([expect.stringContaining('wachtlijst')]);
    await c.anna('/vraag Wie heeft een goed rooster-sjabloon?');
    await c.anna('/verhaal Ons eerste webinar had twee aanmeldingen.');
    await exchange(h, directMessage(c.ANNA, 'profiel'));
    const db = h.database.db;
    const [org] = await db.insert(organisations).values({ communityId: c.cid, name: 'Zorggroep Noord' }).returning();
    await db.insert(declarationSignatures).values({ communityId: c.cid, version: 1, organisationId: org!.id, memberId: c.annaId, signerName: 'Anna', via: 'chat', signedAt: h.clock.now() });
    await db.insert(stories).values({ communityId: c.cid, authorId: c.annaId, authorName: 'Anna', status: 'published', text: 'Wat misging', language: 'nl', number: 1, publishedAt: h.clock.now() });
    await db.insert(conversationReferences).values({ address: `whatsapp:${c.ANNA}`, channel: 'whatsapp', reference: { wroteToBot: true } });
    // A message id as WhatsApp gives it names its sender; so does a quoted reply to it.
    await exchange(h, groupMessage(c.group, c.ANNA, '/vraag Wie heeft nog een beamer?', { externalMessageId: `false_${c.group}_3EB0A1_${c.ANNA}`, sender: { externalId: c.ANNA, displayName: 'Anna' } }));
    const records = async () => (await db.select({ n: count() }).from(inboundMessages).where(eq(inboundMessages.communityId, c.cid)))[0]!.n;
    const recordsBefore = await records();

    const res = await h.api({ method: 'DELETE', url: `/v1/members/${c.annaId}`, token: await managerToken(h, c.cid) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      memberId: c.annaId,
      erased: { identities: 1, upcomingSignups: 1, storiesDeleted: 1, storiesAnonymised: 1, signaturesAnonymised: 1, directMessagesDeleted: 1 },
    });
    await h.flush();

    // Bram moved up, and was told so in his own chat.
    expect(h.whatsapp.textsTo(`whatsapp:${c.BRAM}`).at(-1)).toMatch(/^Goed nieuws, Bram: er is een plaats vrijgekomen voor Intervisie/);
    const attendees = (await h.api({ method: 'GET', url: `/v1/events/${await eventId(c.cid, c.number)}/attendees` })).json() as { items: { memberId: string; status: string }[] };
    expect(attendees.items).toMatchObject([{ memberId: c.bramId, status: 'confirmed' }]);

    // Anna is gone: no member, no phone number, no note on how to reach her, no messages to her.
    expectProblem(await h.api({ method: 'GET', url: `/v1/members/${c.annaId}` }), 404, 'not-found');
    expect(await db.select().from(conversationReferences).where(eq(conversationReferences.address, `whatsapp:${c.ANNA}`))).toEqual([]);
    expect(await db.select().from(outbox).where(eq(outbox.address, `whatsapp:${c.ANNA}`))).toEqual([]);
    // What others rely on stays, without her.
    const left = await db.select().from(stories).where(eq(stories.communityId, c.cid));
    expect(left).toMatchObject([{ status: 'published', anonymous: true, authorName: '', authorId: null, text: 'Wat misging' }]);
    expect(await db.select({ signerName: declarationSignatures.signerName, memberId: declarationSignatures.memberId }).from(declarationSignatures).where(eq(declarationSignatures.communityId, c.cid))).toEqual([
      { signerName: t('nl', 'privacy.formerMember'), memberId: null },
    ]);
    const questions = (await h.api({ method: 'GET', url: `/v1/communities/${c.cid}/questions` })).json() as { items: { text: string }[] };
    expect(questions.items.map((q) => q.text).sort()).toEqual(['Wie heeft een goed rooster-sjabloon?', 'Wie heeft nog een beamer?']);
    // The figures keep counting her messages, as nobody's.
    expect(await records()).toBe(recordsBefore);
    // And no table holds her number any more: not the message records, not the bot's replies
    // that quoted her, not the notes on how to reach her.
    const tables = (await db.execute(sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`)) as unknown as { rows?: { name: string }[] } & { name: string }[];
    const names = (tables.rows ?? tables).map((r) => r.name);
    expect(names).toContain('outbox');
    const digits = c.ANNA.split('@')[0]!;
    const traces: string[] = [];
    for (const name of names) {
      const found = (await db.execute(sql`select count(*)::int as n from ${sql.identifier(name)} x where x::text like ${`%${digits}%`}`)) as unknown as { rows?: { n: number }[] } & { n: number }[];
      if ((found.rows ?? found)[0]!.n > 0) traces.push(name);
    }
    expect(traces).toEqual([]);

    // Writing again, she is a newcomer.
    expect(await c.anna('Hallo weer')).toEqual([expect.stringContaining(t('nl', 'welcome.firstContact', { community: 'Wijkzorg Utrecht', name: 'Anna' }))]);
    expectProblem(await h.api({ method: 'DELETE', url: `/v1/members/${c.annaId}` }), 404, 'not-found');
  });

  async function eventId(cid: string, number: number): Promise<string> {
    const list = (await h.api({ method: 'GET', url: `/v1/communities/${cid}/events` })).json() as { items: { id: string; number: number }[] };
    return list.items.find((e) => e.number === number)!.id;
  }

  it('in chat, `privacy` shows what is kept and `privacy vergeet ja` has it erased in the next round (Dutch)', async () => {
    const c = await community('nl');
    await c.anna(`/aanmelden ${c.number}`);
    // What is hers goes to her own chat; the group only hears that it went there.
    const dm = () => h.whatsapp.textsTo(`whatsapp:${c.ANNA}`).at(-1);
    expect(await c.anna('/privacy')).toEqual([t('nl', 'private.sent', { name: 'Anna' })]);
    const overview = dm()!;
    expect(overview).toContain(t('nl', 'privacy.howForget', { community: 'Wijkzorg Utrecht' }));
    expect(overview).toContain('Anna');
    expect(overview).toContain('Bekend op: WhatsApp');
    expect(overview).toContain('Aanmeldingen: 1');

    expect(await c.anna('/privacy vergeet')).toEqual([t('nl', 'private.sent', { name: 'Anna' })]);
    expect(dm()).toBe(t('nl', 'privacy.forget.confirm', { community: 'Wijkzorg Utrecht' }));
    expect((await memberRow(c.annaId))!.eraseRequestedAt).toBeNull();
    expect(await c.anna('/privacy onzin')).toEqual([t('nl', 'privacy.usage')]);

    expect(await exchange(h, directMessage(c.ANNA, 'privacy vergeet ja'))).toEqual([t('nl', 'privacy.forget.done', { name: 'Anna', community: 'Wijkzorg Utrecht' })]);
    expect((await memberRow(c.annaId))!.eraseRequestedAt).toEqual(h.clock.now());
    // The manager sees the request; the scheduler's next round carries it out.
    expect(((await h.api({ method: 'GET', url: `/v1/members/${c.annaId}` })).json() as { eraseRequestedAt: string }).eraseRequestedAt).toBe(h.clock.now().toISOString());
    await h.core.scheduler.runOnce();
    expect(await memberRow(c.annaId)).toBeUndefined();
    // Her place on the activity is free again.
    expect(await c.bram(`/aanmelden ${c.number}`)).toEqual([expect.stringContaining('Je bent aangemeld voor Intervisie')]);
  });

  it('in English, on Teams, `privacy forget` asks with a button; the same account in another community keeps its chat', async () => {
    const c = await community('en');
    const other = await seedCommunity(h, { language: 'en' }, newGroup());
    const inOther = (await h.core.receive(groupMessage(other.group, c.ANNA, 'Hello', { sender: { externalId: c.ANNA, displayName: 'Anna' } }))).memberId!;
    await exchange(h, directMessage(c.ANNA, 'help'));
    await h.database.db.insert(conversationReferences).values({ address: `whatsapp:${c.ANNA}`, channel: 'whatsapp', reference: { wroteToBot: true } });

    const channel = `19:privacy-${c.cid}@thread.tacv2`;
    expect((await h.api({ method: 'POST', url: `/v1/communities/${c.cid}/spaces`, payload: { channel: 'teams', externalId: channel, name: 'General' } })).statusCode).toBe(201);
    const cees = (text: string, id: string, direct = false) =>
      h.core.receive({ channel: 'teams', externalMessageId: `teams-${id}-${c.cid}`, space: { externalId: direct ? `a:cees-${c.cid}` : channel, direct }, sender: { externalId: `aad-cees-${c.cid}`, displayName: 'Cees' }, text, mentioned: true });
    // In the channel: the bot cannot open a personal chat with him, so it says how to get one.
    await cees('privacy forget', '1');
    await h.flush();
    expect(h.teams.textsTo(`teams:${channel}`).at(-1)).toBe(t('en', 'private.unreachable', { name: 'Cees', command: 'privacy' }));
    // In his personal chat: the question, with a button on Teams.
    await cees('privacy forget', '2', true);
    await h.flush();
    const asked = h.teams.sent.filter((m) => m.text === t('en', 'privacy.forget.confirm', { community: 'Wijkzorg Utrecht' }));
    expect(asked).toHaveLength(1);
    expect(asked[0]!.address).toBe(`teams:a:cees-${c.cid}`);
    expect(asked[0]!.actions).toEqual([{ label: t('en', 'privacy.forget.yes'), command: 'privacy forget yes' }]);

    // Anna erased here by her manager: in the other community she stays, and so does her chat.
    expect((await h.api({ method: 'DELETE', url: `/v1/members/${c.annaId}` })).statusCode).toBe(200);
    expect(await memberRow(inOther)).toBeDefined();
    expect(await h.database.db.select().from(conversationReferences).where(eq(conversationReferences.address, `whatsapp:${c.ANNA}`))).toHaveLength(1);
  });
});
