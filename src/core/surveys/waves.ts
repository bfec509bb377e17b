import { and, asc, eq, inArray, isNotNull, isNull, lte, ne } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { communities, members, surveyParticipants, surveys, surveyWaves, type Language, type Survey, type SurveyWave } from '../../db/schema/index.js';
import { conflict, notFound } from '../errors.js';
import { channelOf, directAddresses } from '../outbox/direct.js';
import { enqueue, type OutboxMessage } from '../outbox/outbox.service.js';
import { activate, inAudience, openingLines, questionActions } from './conversation.js';

/** Longest wait before the automatic reminder: 30 days. */
export const REMIND_AFTER_MAX_HOURS = 720;

export interface WaveInput {
  /** When to send; absent or past: now. */
  sendAt?: string | Date | null;
  /** Remind those it reached who have not finished, once, this many hours after it went out. */
  remindAfterHours?: number | null;
}

export type WaveStatus = 'scheduled' | 'sent' | 'cancelled';

/** A wave as the API shows it; the figures are null until it went out. */
export interface WaveView {
  id: string;
  wave: number;
  status: WaveStatus;
  sendAt: Date;
  sentAt: Date | null;
  cancelledAt: Date | null;
  remindAfterHours: number | null;
  remindAt: Date | null;
  remindedAt: Date | null;
  audience: number | null;
  sent: number | null;
  notReachable: number | null;
  completed: number | null;
  reminded: number | null;
}

export const waveView = (w: SurveyWave): WaveView => ({
  id: w.id,
  wave: w.number,
  status: w.cancelledAt ? 'cancelled' : w.sentAt ? 'sent' : 'scheduled',
  sendAt: w.sendAt,
  sentAt: w.sentAt,
  cancelledAt: w.cancelledAt,
  remindAfterHours: w.remindAfterMinutes === null ? null : w.remindAfterMinutes / 60,
  remindAt: w.remindAt,
  remindedAt: w.remindedAt,
  audience: w.audience,
  sent: w.sent,
  notReachable: w.notReachable,
  completed: w.completed,
  reminded: w.reminded,
});

/** Who the survey is for: the community's members, or those of its chosen organisations. */
export async function audienceOf(tx: Tx, survey: Survey) {
  const rows = await tx
    .select({ id: members.id, displayName: members.displayName, organisationId: members.organisationId, language: members.language })
    .from(members)
    .where(eq(members.communityId, survey.communityId))
    .orderBy(asc(members.createdAt));
  return rows.filter((m) => inAudience(survey, m));
}

/** The survey opened at question `next` in a direct chat: text, and on Teams a button per answer. */
function opening(survey: Survey, memberId: string, address: string, language: Language, next: number, kind: 'start' | 'reminder', key: string, now: Date): OutboxMessage {
  const actions = questionActions(survey, next, language, channelOf(address));
  return {
    communityId: survey.communityId,
    channel: channelOf(address),
    address,
    spaceId: null,
    memberId,
    payload: { text: openingLines(language, survey, next, kind).join('\n'), ...(actions && { actions }) },
    idempotencyKey: key,
    availableAt: now,
  };
}

/**
 * Sends a wave (the caller holds its row): the invitation, or a reminder with the question they
 * are at, to every audience member who has not finished. Members without a direct chat the bot
 * can reach are counted as not reachable.
 */
async function sendWave(tx: Tx, survey: Survey, wave: SurveyWave, now: Date): Promise<SurveyWave> {
  const [community] = await tx.select().from(communities).where(eq(communities.id, survey.communityId));
  const audience = await audienceOf(tx, survey);
  const ids = audience.map((m) => m.id);
  const participants = new Map(
    ids.length ? (await tx.select().from(surveyParticipants).where(and(eq(surveyParticipants.surveyId, survey.id), inArray(surveyParticipants.memberId, ids)))).map((p) => [p.memberId, p]) : [],
  );
  const direct = await directAddresses(tx, ids);
  const outgoing: OutboxMessage[] = [];
  let notReachable = 0;
  let completed = 0;
  for (const member of audience) {
    const p = participants.get(member.id);
    if (p?.status === 'completed') {
      completed++;
      continue;
    }
    const address = direct.get(member.id);
    if (!address) {
      notReachable++;
      continue;
    }
    await activate(tx, survey, member.id, now, wave.number);
    const key = `survey:${survey.id}:wave:${wave.number}:${member.id}`;
    outgoing.push(opening(survey, member.id, address, member.language ?? community!.language, p?.nextQuestion ?? 1, p ? 'reminder' : 'start', key, now));
  }
  await enqueue(tx, outgoing);
  const remindAt = wave.remindAfterMinutes === null ? null : new Date(now.getTime() + wave.remindAfterMinutes * 60_000);
  const [sent] = await tx
    .update(surveyWaves)
    .set({ sentAt: now, remindAt, audience: audience.length, sent: outgoing.length, notReachable, completed, updatedAt: now })
    .where(eq(surveyWaves.id, wave.id))
    .returning();
  return sent!;
}

/** The one automatic reminder of a wave: to those it reached who have not finished since. */
async function remindWave(tx: Tx, survey: Survey, wave: SurveyWave, now: Date): Promise<SurveyWave> {
  const open = await tx
    .select({ p: surveyParticipants, language: members.language })
    .from(surveyParticipants)
    .innerJoin(members, eq(members.id, surveyParticipants.memberId))
    .where(and(eq(surveyParticipants.surveyId, survey.id), eq(surveyParticipants.lastWave, wave.number), ne(surveyParticipants.status, 'completed')));
  const [community] = await tx.select().from(communities).where(eq(communities.id, survey.communityId));
  const direct = await directAddresses(tx, open.map((o) => o.p.memberId));
  const outgoing: OutboxMessage[] = [];
  for (const { p, language } of open) {
    const address = direct.get(p.memberId);
    if (!address) continue;
    await activate(tx, survey, p.memberId, now);
    const key = `survey:${survey.id}:wave:${wave.number}:reminder:${p.memberId}`;
    outgoing.push(opening(survey, p.memberId, address, language ?? community!.language, p.nextQuestion, 'reminder', key, now));
  }
  await enqueue(tx, outgoing);
  const [reminded] = await tx.update(surveyWaves).set({ remindedAt: now, reminded: outgoing.length, updatedAt: now }).where(eq(surveyWaves.id, wave.id)).returning();
  return reminded!;
}

/** Makes the next wave of a survey (locked by the caller): sent now, or left for the scheduler. */
export async function makeWave(tx: Tx, survey: Survey, input: WaveInput, now: Date): Promise<SurveyWave> {
  const sendAt = input.sendAt ? new Date(input.sendAt) : now;
  const number = survey.waves + 1;
  await tx.update(surveys).set({ waves: number, updatedAt: now }).where(eq(surveys.id, survey.id));
  const [wave] = await tx
    .insert(surveyWaves)
    .values({
      surveyId: survey.id,
      number,
      sendAt: sendAt > now ? sendAt : now,
      remindAfterMinutes: input.remindAfterHours ? Math.round(input.remindAfterHours * 60) : null,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  return sendAt > now ? wave! : sendWave(tx, survey, wave!, now);
}

/**
 * Cancels a wave of `survey` that has not gone out. The row lock waits for a scheduler sending it
 * now, which then has set `sentAt`: a wave is either sent or cancelled, never both.
 */
export async function cancelWave(tx: Tx, survey: Survey, waveId: string, now: Date): Promise<SurveyWave> {
  const [wave] = await tx
    .select()
    .from(surveyWaves)
    .where(and(eq(surveyWaves.id, waveId), eq(surveyWaves.surveyId, survey.id)))
    .for('update');
  if (!wave) throw notFound('Wave');
  if (wave.cancelledAt) throw conflict(`Wave ${wave.number} is cancelled already`);
  if (wave.sentAt) throw conflict(`Wave ${wave.number} went out at ${wave.sentAt.toISOString()}; a sent wave cannot be cancelled`);
  const [cancelled] = await tx.update(surveyWaves).set({ cancelledAt: now, updatedAt: now }).where(eq(surveyWaves.id, wave.id)).returning();
  return cancelled!;
}

/**
 * Scheduler jobs: the waves whose time came, and the reminders whose time came. Each claims its
 * rows FOR UPDATE SKIP LOCKED and marks them done in the same transaction, so with several
 * instances a wave (and its reminder) still goes out once. Waves of closed surveys wait;
 * cancelled ones never go.
 */
export function createWaveJobs(db: Db, clock: () => Date, onQueued: () => void) {
  async function due(kind: 'send' | 'remind'): Promise<number> {
    const now = clock();
    const done = await db.transaction(async (tx) => {
      const rows = await tx
        .select({ wave: surveyWaves, survey: surveys })
        .from(surveyWaves)
        .innerJoin(surveys, eq(surveys.id, surveyWaves.surveyId))
        .where(
          and(
            isNull(surveys.closedAt),
            kind === 'send'
              ? and(isNull(surveyWaves.sentAt), isNull(surveyWaves.cancelledAt), lte(surveyWaves.sendAt, now))
              : and(isNotNull(surveyWaves.remindAt), isNull(surveyWaves.remindedAt), lte(surveyWaves.remindAt, now)),
          ),
        )
        .orderBy(asc(kind === 'send' ? surveyWaves.sendAt : surveyWaves.remindAt))
        .limit(20)
        .for('update', { of: surveyWaves, skipLocked: true });
      for (const { wave, survey } of rows) await (kind === 'send' ? sendWave(tx, survey, wave, now) : remindWave(tx, survey, wave, now));
      return rows.length;
    });
    if (done > 0) onQueued();
    return done;
  }
  return { sendDue: () => due('send'), remindDue: () => due('remind') };
}
