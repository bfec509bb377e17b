import { like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../src/db/schema/index.js';
import { newGroup } from '../helpers/conversation.js';
import { engine } from '../helpers/database.js';
import { createHarness, groupMessage, runAt, seedCommunity, type Harness } from '../helpers/harness.js';
import { expectProblem, expectValidation, managerToken } from './support.js';

const HOUR = 3_600_000;
const QUESTIONS = [{ kind: 'single', text: 'Herken je je in het concept?', options: ['Ja', 'Nee'] }];
let people = 0;

// One harness; its clock only moves forward, so each test plans its waves from "now".
let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

interface Wave {
  id: string;
  wave: number;
  status: string;
  sendAt: string;
  sentAt: string | null;
  cancelledAt: string | null;
  sent: number | null;
}

/** A community with Anna on WhatsApp (always reachable in a direct chat) and a survey. */
async function setUp() {
  const anna = `3165555${String(++people).padStart(4, '0')}@c.us`;
  const { community, group } = await seedCommunity(h, { language: 'nl' }, newGroup());
  await h.core.receive(groupMessage(group, anna, 'Hoi', { sender: { externalId: anna, displayName: 'Anna' } }));
  await h.flush();
  const created = await h.api({ method: 'POST', url: `/v1/communities/${community.id}/surveys`, payload: { title: 'Concepttoets', questions: QUESTIONS } });
  expect(created.statusCode, created.body).toBe(201);
  const survey = created.json() as { id: string };
  const schedule = async (payload: Record<string, unknown>) => {
    const res = await h.api({ method: 'POST', url: `/v1/surveys/${survey.id}/waves`, payload });
    expect(res.statusCode, res.body).toBe(200);
    await h.flush();
    return res.json() as Wave;
  };
  const cancel = (waveId: string, token?: string) => h.api({ method: 'DELETE', url: `/v1/surveys/${survey.id}/waves/${waveId}`, ...(token && { token }) });
  const waves = async () => (await h.api({ method: 'GET', url: `/v1/surveys/${survey.id}/waves` })).json().items as Wave[];
  const toAnna = () => h.whatsapp.textsTo(`whatsapp:${anna}`);
  const queued = async () => (await h.database.db.select().from(outbox).where(like(outbox.idempotencyKey, `survey:${survey.id}:%`))).length;
  return { communityId: community.id, surveyId: survey.id, schedule, cancel, waves, toAnna, queued };
}

/** Moves the clock on by `ms`, runs the scheduler and sends what it queued. */
const later = (ms: number) => runAt(h, new Date(h.clock.now().getTime() + ms).toISOString());

describe(`cancelling a scheduled survey wave (${engine()})`, () => {
  it('a cancelled wave never goes out, shows as cancelled and leaves the content calendar', async () => {
    const s = await setUp();
    const sendAt = new Date(h.clock.now().getTime() + 2 * HOUR).toISOString();
    const wave = await s.schedule({ sendAt, remindAfterHours: 24 });
    expect(wave).toMatchObject({ wave: 1, status: 'scheduled', cancelledAt: null });

    const res = await s.cancel(wave.id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: wave.id, wave: 1, status: 'cancelled', sendAt, sentAt: null, cancelledAt: h.clock.now().toISOString() });

    await later(3 * HOUR);
    await later(30 * HOUR);
    expect(s.toAnna()).toEqual([]);
    expect(await s.queued()).toBe(0);
    expect(await s.waves()).toEqual([expect.objectContaining({ id: wave.id, status: 'cancelled', sentAt: null, sent: null })]);
    const window = await h.api({ method: 'GET', url: `/v1/communities/${s.communityId}/calendar?from=${new Date(Date.parse(sendAt) - HOUR).toISOString()}&to=${h.clock.now().toISOString()}` });
    expect(window.json().items.filter((e: { source: string }) => e.source === 'survey')).toEqual([]);
  });

  it('a wave scheduled after a cancelled one still goes out, as the next wave', async () => {
    const s = await setUp();
    const first = await s.schedule({ sendAt: new Date(h.clock.now().getTime() + HOUR).toISOString() });
    expect((await s.cancel(first.id)).statusCode).toBe(200);
    const second = await s.schedule({ sendAt: new Date(h.clock.now().getTime() + 2 * HOUR).toISOString() });
    expect(second).toMatchObject({ wave: 2, status: 'scheduled' });

    await later(2 * HOUR);
    expect(s.toAnna()).toHaveLength(1);
    expect((await s.waves()).map((w) => [w.wave, w.status, w.sent])).toEqual([
      [1, 'cancelled', null],
      [2, 'sent', 1],
    ]);
  });

  it('a wave that went out cannot be cancelled: 409 saying so, and it stays sent', async () => {
    const s = await setUp();
    const now = await s.schedule({});
    expect(now).toMatchObject({ status: 'sent', sent: 1 });
    const refused = expectProblem(await s.cancel(now.id), 409, 'conflict');
    expect(refused.detail).toBe(`Wave 1 went out at ${now.sentAt}; a sent wave cannot be cancelled`);

    const scheduled = await s.schedule({ sendAt: new Date(h.clock.now().getTime() + HOUR).toISOString() });
    await later(HOUR);
    expect(expectProblem(await s.cancel(scheduled.id), 409, 'conflict').detail).toContain('went out');
    expect((await s.waves()).map((w) => w.status)).toEqual(['sent', 'sent']);
  });

  it('a cancel at the moment the scheduler sends: the wave is either sent or cancelled, never both', async () => {
    const s = await setUp();
    const wave = await s.schedule({ sendAt: new Date(h.clock.now().getTime() + HOUR).toISOString() });
    h.clock.advance(HOUR);
    const [, res] = await Promise.all([h.core.scheduler.runOnce(), s.cancel(wave.id)]);
    await h.flush();
    const [listed] = await s.waves();
    if (res.statusCode === 200) {
      expect([listed!.status, await s.queued(), s.toAnna().length]).toEqual(['cancelled', 0, 0]);
    } else {
      expectProblem(res, 409, 'conflict');
      expect([listed!.status, await s.queued(), s.toAnna().length]).toEqual(['sent', 1, 1]);
    }
  });

  it('cancelling twice: 409, the wave stays cancelled', async () => {
    const s = await setUp();
    const wave = await s.schedule({ sendAt: new Date(h.clock.now().getTime() + HOUR).toISOString() });
    expect((await s.cancel(wave.id)).statusCode).toBe(200);
    expect(expectProblem(await s.cancel(wave.id), 409, 'conflict').detail).toBe('Wave 1 is cancelled already');
  });

  it('an unknown wave, a wave of another survey or a survey of another community: 404; no uuid: 400', async () => {
    const s = await setUp();
    const other = await setUp();
    const theirs = await other.schedule({ sendAt: new Date(h.clock.now().getTime() + HOUR).toISOString() });
    expectProblem(await s.cancel('00000000-0000-4000-8000-000000000000'), 404, 'not-found');
    expectProblem(await s.cancel(theirs.id), 404, 'not-found');
    expectProblem(await h.api({ method: 'DELETE', url: `/v1/surveys/00000000-0000-4000-8000-000000000000/waves/${theirs.id}` }), 404, 'not-found');
    const token = await managerToken(h, s.communityId);
    expectProblem(await other.cancel(theirs.id, token), 404, 'not-found');
    expectValidation(await s.cancel('wave-1'), 'params/waveId');
    expect((await other.waves()).map((w) => w.status)).toEqual(['scheduled']);
  });
});
