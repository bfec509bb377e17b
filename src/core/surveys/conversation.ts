import { and, desc, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Tx } from '../../db/client.js';
import {
  communities,
  identities,
  members,
  surveyAnswers,
  surveyParticipants,
  surveys,
  type ChannelName,
  type Community,
  type Language,
  type Member,
  type Survey,
  type SurveyParticipant,
  type SurveyQuestion,
} from '../../db/schema/index.js';
import { STOP_WORDS, type DirectConversation, type DirectReply } from '../inbound/direct.js';
import { t, type MessageKey } from '../i18n/index.js';

/**
 * The conversation in a direct chat: asking a survey's questions one by one and reading the
 * member's plain messages as answers. Everything here runs inside the caller's transaction.
 */

export const SKIP_WORDS = ['skip', 'overslaan'];
/** Typed plainly while answering, these ask the current question again. */
export const SURVEY_WORDS = ['survey', 'peiling', 'vragenlijst'];
export const OPEN_ANSWER_MAX = 2_000;

const others = alias(identities, 'others');

/** How a survey is opened to a member: for the first time, again on their request, or by a wave. */
export type Opening = 'start' | 'resume' | 'reminder';

/** The lines that ask question `n` (1-based); `withStop` adds how to pause. */
export function questionLines(language: Language, survey: Survey, n: number, withStop = false): string[] {
  const q = survey.questions[n - 1]!;
  const lines = [t(language, 'surveys.question', { number: n, count: survey.questions.length, text: q.text })];
  q.options?.forEach((label, i) => lines.push(t(language, 'surveys.option', { number: i + 1, label })));
  lines.push(t(language, `surveys.how.${q.kind}` satisfies MessageKey));
  if (q.optional) lines.push(t(language, 'surveys.how.skip'));
  if (withStop) lines.push(t(language, 'surveys.how.stop'));
  return lines;
}

/**
 * The command a survey answer button runs: `survey <survey ref> <question> <choice>` (the
 * `survey` command with arguments; typed, it works too).
 */
export const answerCommand = (survey: Pick<Survey, 'id'>, n: number, choice: number | 'skip') => `survey ${survey.id.slice(0, 8)} ${n} ${choice}`;

/**
 * A button per answer for a single-choice or scale question, where the channel shows buttons
 * (Teams cards): on WhatsApp the numbered text is the way (a native poll per question would
 * depend on WhatsApp's unreliable vote events, and answering a number always works).
 */
export function questionActions(survey: Survey, n: number, language: Language, channel: ChannelName) {
  const q = survey.questions[n - 1];
  if (channel !== 'teams' || !q || (q.kind !== 'single' && q.kind !== 'scale')) return undefined;
  const labels = q.kind === 'scale' ? ['1', '2', '3', '4', '5'] : q.options!.map((label, i) => `${i + 1}. ${label}`);
  const actions = labels.map((label, i) => ({ label, command: answerCommand(survey, n, i + 1) }));
  if (q.optional) actions.push({ label: t(language, 'surveys.button.skip'), command: answerCommand(survey, n, 'skip') });
  return actions;
}

/** What the bot says back in a survey: lines, and buttons for the question asked, if any. */
export type SurveyReply = DirectReply;

/** A greeting (the title and intro on a first start) and the question the member is at. */
export function openingLines(language: Language, survey: Survey, next: number, opening: Opening): string[] {
  const head =
    opening === 'reminder'
      ? [t(language, 'surveys.reminder', { title: survey.title })]
      : next > 1
        ? [t(language, 'surveys.resume', { title: survey.title })]
        : [t(language, 'surveys.intro', { title: survey.title }), ...(survey.intro ? [survey.intro] : [])];
  return [...head, '', ...questionLines(language, survey, next, true)];
}

type Reading = { kind: 'answer'; choices: number[] | null; text: string | null } | { kind: 'skip' } | { kind: 'bad'; key: MessageKey };

/** Reads a plain message as the answer to `q`. */
export function readAnswer(q: SurveyQuestion, message: string): Reading {
  const body = message.trim();
  if (SKIP_WORDS.includes(body.toLowerCase())) return q.optional ? { kind: 'skip' } : { kind: 'bad', key: 'surveys.bad.required' };
  if (q.kind === 'open') return body ? { kind: 'answer', choices: null, text: body.slice(0, OPEN_ANSWER_MAX) } : { kind: 'bad', key: 'surveys.bad.open' };
  const max = q.kind === 'scale' ? 5 : q.options!.length;
  const parts = body.split(/[\s,;]+/).filter(Boolean).map((p) => p.replace(/\.$/, ''));
  const numbers = parts.map(Number);
  const valid = parts.length > 0 && numbers.every((n, i) => /^\d+$/.test(parts[i]!) && n >= 1 && n <= max);
  const bad: Reading = { kind: 'bad', key: `surveys.bad.${q.kind}` };
  if (!valid || (q.kind !== 'multiple' && numbers.length > 1)) return bad;
  return { kind: 'answer', choices: [...new Set(numbers)].sort((a, b) => a - b), text: null };
}

/** Makes this the member's survey in progress; their other one, if any, is paused. */
export async function activate(tx: Tx, survey: Survey, memberId: string, now: Date, wave?: number): Promise<SurveyParticipant> {
  await tx
    .update(surveyParticipants)
    .set({ status: 'paused', updatedAt: now })
    .where(and(eq(surveyParticipants.memberId, memberId), eq(surveyParticipants.status, 'active'), ne(surveyParticipants.surveyId, survey.id)));
  const [row] = await tx
    .insert(surveyParticipants)
    .values({ surveyId: survey.id, memberId, status: 'active', lastWave: wave ?? null, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({
      target: [surveyParticipants.surveyId, surveyParticipants.memberId],
      set: { status: 'active', updatedAt: now, ...(wave !== undefined && { lastWave: wave }) },
    })
    .returning();
  return row!;
}

/** True when the survey's audience includes the member. */
export const inAudience = (survey: Survey, member: Pick<Member, 'organisationId'>) =>
  survey.organisationIds === null || (member.organisationId !== null && survey.organisationIds.includes(member.organisationId));

/**
 * What `survey` opens for a member: the survey they were answering (the latest touched), else
 * the newest open one in their audience they have not begun.
 */
export async function pickSurvey(
  tx: Tx,
  community: Community,
  member: Member,
): Promise<{ survey: Survey; participant: SurveyParticipant | null } | { none: 'none' | 'allDone' }> {
  const open = await tx
    .select()
    .from(surveys)
    .where(and(eq(surveys.communityId, community.id), isNull(surveys.closedAt)))
    .orderBy(desc(surveys.createdAt))
    .limit(50);
  if (open.length === 0) return { none: 'none' };
  const mine = await tx
    .select()
    .from(surveyParticipants)
    .where(and(eq(surveyParticipants.memberId, member.id), inArray(surveyParticipants.surveyId, open.map((s) => s.id))))
    .orderBy(desc(surveyParticipants.updatedAt));
  const unfinished = mine.find((p) => p.status !== 'completed');
  if (unfinished) return { survey: open.find((s) => s.id === unfinished.surveyId)!, participant: unfinished };
  const fresh = open.find((s) => inAudience(s, member) && !mine.some((p) => p.surveyId === s.id));
  if (fresh) return { survey: fresh, participant: null };
  return { none: mine.length > 0 ? 'allDone' : 'none' };
}

/**
 * A survey in progress in a direct chat: the sender's active survey (of any community: the one
 * asked last) takes their plain messages as answers.
 */
export const surveyConversation: DirectConversation = {
  name: 'survey-answer',
  async find(tx, sender, now) {
    const [row] = await tx
      .select({ participant: surveyParticipants, survey: surveys, language: members.language, communityLanguage: communities.language })
      .from(surveyParticipants)
      .innerJoin(surveys, eq(surveys.id, surveyParticipants.surveyId))
      .innerJoin(identities, eq(identities.memberId, surveyParticipants.memberId))
      .innerJoin(members, eq(members.id, surveyParticipants.memberId))
      .innerJoin(communities, eq(communities.id, surveys.communityId))
      .where(and(sender, eq(surveyParticipants.status, 'active')))
      .orderBy(desc(surveyParticipants.updatedAt))
      .limit(1)
      .for('update', { of: surveyParticipants });
    if (!row) return null;
    return {
      touchedAt: row.participant.updatedAt,
      answer: (text, channel) => answer(tx, row.survey, row.participant, text, row.language ?? row.communityLanguage, channel, now),
    };
  },
};

/** Takes one message as the answer to the member's current question; returns the reply. */
async function answer(tx: Tx, survey: Survey, p: SurveyParticipant, message: string, language: Language, channel: ChannelName, now: Date): Promise<SurveyReply> {
  const key = and(eq(surveyParticipants.surveyId, survey.id), eq(surveyParticipants.memberId, p.memberId));
  const ask = (n: number, withStop = false): SurveyReply => ({ lines: questionLines(language, survey, n, withStop), actions: questionActions(survey, n, language, channel) });
  const word = message.trim().toLowerCase();
  if (survey.closedAt || STOP_WORDS.includes(word)) {
    await tx.update(surveyParticipants).set({ status: 'paused', updatedAt: now }).where(key);
    return { lines: [survey.closedAt ? t(language, 'surveys.closed', { title: survey.title }) : t(language, 'surveys.paused', { number: p.nextQuestion })] };
  }
  if (SURVEY_WORDS.includes(word)) return ask(p.nextQuestion, true);

  const q = survey.questions[p.nextQuestion - 1]!;
  const reading = readAnswer(q, message);
  if (reading.kind === 'bad') return { lines: [t(language, reading.key, { count: q.options?.length ?? 5 })] };
  await store(tx, survey, p.memberId, p.nextQuestion, reading, now);

  const next = p.nextQuestion + 1;
  if (next > survey.questions.length) {
    await tx.update(surveyParticipants).set({ status: 'completed', nextQuestion: next, completedAt: now, updatedAt: now }).where(key);
    return { lines: [t(language, 'surveys.done', { title: survey.title })] };
  }
  await tx.update(surveyParticipants).set({ nextQuestion: next, updatedAt: now }).where(key);
  return ask(next);
}

/** Stores (or replaces) the answer to question `n`. */
async function store(tx: Tx, survey: Survey, memberId: string, n: number, reading: Exclude<Reading, { kind: 'bad' }>, now: Date) {
  const values = reading.kind === 'skip' ? { choices: null, text: null, skipped: true } : { choices: reading.choices, text: reading.text, skipped: false };
  await tx
    .insert(surveyAnswers)
    .values({ surveyId: survey.id, memberId, question: n, ...values, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({ target: [surveyAnswers.surveyId, surveyAnswers.memberId, surveyAnswers.question], set: { ...values, updatedAt: now } });
}

/**
 * An answer button (`answer <survey ref> <question> <choice>`), pressed by `memberId` or by the
 * same person in another community. The current question is answered as if typed; an earlier
 * one has its answer replaced (a card stays in the chat and can be pressed again); a later one
 * or a stale button asks the current question again.
 */
export async function answerButton(tx: Tx, memberId: string, args: string, language: Language, channel: ChannelName, now: Date): Promise<SurveyReply> {
  const m = /^([0-9a-f]{8})\s+(\d{1,3})\s+(\d{1,2}|skip)$/i.exec(args.trim());
  if (!m) return { lines: [t(language, 'surveys.answer.stale')] };
  const [ref, n, choice] = [m[1]!.toLowerCase(), Number(m[2]), m[3]!.toLowerCase()];
  const sameMe = tx
    .select({ memberId: others.memberId })
    .from(identities)
    .innerJoin(others, and(eq(others.channel, identities.channel), eq(others.externalId, identities.externalId)))
    .where(eq(identities.memberId, memberId));
  const [row] = await tx
    .select({ participant: surveyParticipants, survey: surveys })
    .from(surveyParticipants)
    .innerJoin(surveys, eq(surveys.id, surveyParticipants.surveyId))
    .where(and(inArray(surveyParticipants.memberId, sameMe), sql`${surveys.id}::text like ${`${ref}%`}`))
    .limit(1)
    .for('update', { of: surveyParticipants });
  if (!row) return { lines: [t(language, 'surveys.answer.stale')] };
  const { survey, participant: p } = row;
  const q = survey.questions[n - 1];
  if (!q) return { lines: [t(language, 'surveys.answer.stale')] };
  if (survey.closedAt) return { lines: [t(language, 'surveys.closed', { title: survey.title })] };
  if (p.status !== 'completed' && n === p.nextQuestion) {
    const active = p.status === 'active' ? p : await activate(tx, survey, p.memberId, now);
    return answer(tx, survey, active, choice, language, channel, now);
  }
  if (n > p.nextQuestion) return { lines: questionLines(language, survey, p.nextQuestion), actions: questionActions(survey, p.nextQuestion, language, channel) };
  const reading = readAnswer(q, choice);
  if (reading.kind === 'bad') return { lines: [t(language, reading.key, { count: q.options?.length ?? 5 })] };
  await store(tx, survey, p.memberId, n, reading, now);
  const changed = t(language, 'surveys.answer.changed', { number: n });
  if (p.status === 'completed') return { lines: [changed] };
  return { lines: [changed, '', ...questionLines(language, survey, p.nextQuestion)], actions: questionActions(survey, p.nextQuestion, language, channel) };
}
