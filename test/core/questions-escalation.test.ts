import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src/core/index.js';
import { t } from '../../src/core/i18n/index.js';
import { exchange, newGroup, outboxTo, person } from '../helpers/conversation.js';
import { createHarness, groupMessage, seedCommunity, type Harness } from '../helpers/harness.js';

const HOUR = 3_600_000;
let people = 0;
/** A WhatsApp id no other test uses: direct chats are found by it across communities. */
const someone = () => `3169${String(++people).padStart(7, '0')}@c.us`;

describe('unanswered questions go to the ambassadors', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  async function community(language: 'en' | 'nl', escalateAfterHours?: number) {
    const seeded = await seedCommunity(h, { language }, newGroup());
    if (escalateAfterHours !== undefined) {
      const res = await h.api({ method: 'PUT', url: `/v1/communities/${seeded.community.id}/questions/settings`, payload: { escalateAfterHours } });
      expect(res.statusCode, res.body).toBe(200);
    }
    const member = async (role: 'member' | 'ambassador' | 'manager', name: string) => {
      const id = someone();
      const first = await h.core.receive(groupMessage(seeded.group, id, 'hoi', { sender: { externalId: id, displayName: name } }));
      if (role !== 'member') await h.api({ method: 'PATCH', url: `/v1/members/${first.memberId}`, payload: { role } });
      await h.flush();
      return { id, memberId: first.memberId!, say: person(h, seeded.group, id, name), inbox: () => h.whatsapp.textsTo(`whatsapp:${id}`) };
    };
    return { ...seeded, member };
  }

  /** Moves the clock, runs the scheduler's jobs once, and sends what they queued. */
  async function later(ms: number) {
    h.clock.advance(ms);
    await h.core.scheduler.runOnce();
    await h.flush();
  }

  it('brings a question nobody answered in the community’s time to each ambassador, once', async () => {
    const c = await community('nl', 2);
    const ambassador = await c.member('ambassador', 'Fatima');
    const other = await c.member('ambassador', 'Gerrit');
    const manager = await c.member('manager', 'Mila');
    const anna = await c.member('member', 'Anna');
    await anna.say('/vraag Wie weet een goede locatie voor de netwerkdag?');

    await later(2 * HOUR - 60_000);
    expect(ambassador.inbox()).toEqual([]);
    await later(60_000);
    const nudge = t('nl', 'questions.escalate', { number: 1, who: 'Anna', hours: 2, text: 'Wie weet een goede locatie voor de netwerkdag?' });
    expect(ambassador.inbox()).toEqual([nudge]);
    expect(other.inbox()).toEqual([nudge]);
    // Ambassadors there are, so the manager is not bothered.
    expect(manager.inbox()).toEqual([]);

    await later(48 * HOUR);
    expect(ambassador.inbox()).toHaveLength(1);
    const list = (await h.api({ method: 'GET', url: `/v1/communities/${c.community.id}/questions?status=unanswered` })).json() as { items: { escalatedAt: string }[] };
    expect(list.items[0]!.escalatedAt).toBe(new Date(h.clock.now().getTime() - 48 * HOUR).toISOString());
  });

  it('lets an ambassador answer by replying to the nudge in their direct chat', async () => {
    const c = await community('en', 1);
    const ambassador = await c.member('ambassador', 'Fatima');
    const anna = await c.member('member', 'Anna');
    await anna.say('/ask Any tips for a first webinar?');
    await later(HOUR);
    const [nudge] = (await outboxTo(h, `whatsapp:${ambassador.id}`)).filter((r) => r.idempotencyKey.includes(':escalate:'));
    const replies = await exchange(
      h,
      groupMessage(ambassador.id, ambassador.id, 'Keep it under an hour and record it.', {
        space: { externalId: ambassador.id, direct: true },
        sender: { externalId: ambassador.id, displayName: 'Fatima' },
        inReplyTo: { externalMessageId: nudge!.externalId! },
      }),
    );
    expect(replies).toEqual([t('en', 'questions.answer.done', { name: 'Fatima', answer: 1, number: 1 })]);
    // Anna hears of it in the group she asked in.
    expect(h.whatsapp.textsTo(c.address).at(-1)).toContain('1. Fatima: Keep it under an hour and record it.');
  });

  it('does not escalate an answered or solved question, and waits the server’s default (48 h) without a setting', async () => {
    const c = await community('en');
    const ambassador = await c.member('ambassador', 'Fatima');
    const anna = await c.member('member', 'Anna');
    const bram = await c.member('member', 'Bram');
    await anna.say('/ask Answered one?');
    await bram.say('/answer 1 Yes.');
    await anna.say('/ask Solved one?');
    await anna.say('/solved 2');
    await anna.say('/ask Waiting one?');
    await anna.say('/answer 3 To be clear: for the spring fair.');
    await later(47 * HOUR);
    expect(ambassador.inbox()).toEqual([]);
    await later(HOUR);
    expect(ambassador.inbox()).toEqual([t('en', 'questions.escalate', { number: 3, who: 'Anna', hours: 48, text: 'Waiting one?' })]);
  });

  it('falls back to the managers when there are no ambassadors; 0 hours turns it off', async () => {
    const c = await community('en', 1);
    const manager = await c.member('manager', 'Mila');
    const anna = await c.member('member', 'Anna');
    await anna.say('/ask Nobody to ask?');
    await later(HOUR);
    expect(manager.inbox()).toHaveLength(1);

    const off = await community('en', 0);
    const ambassador = await off.member('ambassador', 'Fatima');
    const bram = await off.member('member', 'Bram');
    await bram.say('/ask Never escalated?');
    await later(30 * 24 * HOUR);
    expect(ambassador.inbox()).toEqual([]);
  });

  it('escalates once when two instances run the job at the same moment', async () => {
    const c = await community('nl', 1);
    const ambassador = await c.member('ambassador', 'Fatima');
    const anna = await c.member('member', 'Anna');
    await anna.say('/vraag Twee schedulers?');
    h.clock.advance(HOUR);
    const second = createCore({ db: h.database.db, logger: pino({ level: 'silent' }), clock: h.clock.now });
    const done = await Promise.all([h.core.questions.escalateDue(), second.questions.escalateDue(), h.core.questions.escalateDue()]);
    expect(done.reduce((a, b) => a + b, 0)).toBe(1);
    await h.flush();
    expect(ambassador.inbox()).toHaveLength(1);
  });

  it('shows and sets the setting over REST, refusing bad values', async () => {
    const c = await community('en');
    const url = `/v1/communities/${c.community.id}/questions/settings`;
    expect((await h.api({ method: 'GET', url })).json()).toEqual({ escalateAfterHours: 48, default: true });
    expect((await h.api({ method: 'PUT', url, payload: { escalateAfterHours: 12 } })).json()).toEqual({ escalateAfterHours: 12, default: false });
    expect((await h.api({ method: 'GET', url })).json()).toEqual({ escalateAfterHours: 12, default: false });
    expect((await h.api({ method: 'PUT', url, payload: { escalateAfterHours: 0 } })).json()).toEqual({ escalateAfterHours: 0, default: false });
    expect((await h.api({ method: 'DELETE', url })).json()).toEqual({ escalateAfterHours: 48, default: true });
    for (const payload of [{ escalateAfterHours: -1 }, { escalateAfterHours: 721 }, { escalateAfterHours: 1.5 }, { escalateAfterHours: 3, extra: true }, {}]) {
      expect((await h.api({ method: 'PUT', url, payload })).statusCode, JSON.stringify(payload)).toBe(400);
    }
  });
});
