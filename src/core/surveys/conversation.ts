import { and, desc, eq, inArray, isNull, ne, or } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import {
  communities,
  identities,
  members,
  surveyAnswers,
  surveyParticipants,
  surveys,
  type Community,
  type Language,
  type Member,
  type Survey,
  type SurveyParticipant,
  type SurveyQuestion,
} from '../../db/schema/index.js';
import { addressOf, type InboundMessage } from '../channel.js';
import { t, type MessageKey } from '../i18n/index.js';
import { directAddresses } from '../outbox/direct.js';
import { remindNewlyReachable } from '../events/signup.js';

/**
 * The conversation in a direct chat: asking a survey's questions one by one and reading the
 * member's plain messages as answers. Everything here runs inside the caller's transaction.
 */

export const SKIP_WORDS = ['skip', 'overslaan'];
export const STOP_WORDS = ['stop', 'stoppen', 'pause', 'pauze'];
/** Typed plainly while answering, these ask the current question again. */
export const SURVEY_WORDS = ['survey', 'peiling', 'vragenlijst'];
export const OPEN_ANSWER_MAX = 2_000;

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

/** Where the bot reaches a member directly (see pickAddress); null: not reachable. */
export async function directAddressOf(tx: Tx, memberId: string): Promise<string | null> {
  return (await directAddresses(tx, [memberId])).get(memberId) ?? null;
}

/**
 * The inbound hook for a known member's message in a direct chat: remembers where they can be
 * reached directly (Teams gives a personal chat its own conversation id), and while a survey is
 * in progress takes a typed message without a leading / or ! as the answer. Returns the reply
 * lines, or null when the message was no answer (the pipeline then reads it as a command).
 */
export async function onDirectMessage(tx: Tx, message: InboundMessage, now: Date): Promise<string[] | null> {
  const address = message.replyAddress ?? addressOf(message.channel, message.space.externalId);
  const sender = and(eq(identities.channel, message.channel), eq(identities.externalId, message.sender.externalId));
  const changed = await tx
    .update(identities)
    .set({ directAddress: address, updatedAt: now })
    .where(and(sender, or(isNull(identities.directAddress), ne(identities.directAddress, address))))
    .returning({ memberId: identities.memberId });
  // A Teams member who opens a personal chat becomes reachable there: the reminders of the
  // activities they signed up for before now go there too. (On WhatsApp they were reachable all along.)
  if (message.channel === 'teams' && changed.length) await remindNewlyReachable(tx, changed.map((r) => r.memberId), now);
  if (message.action || /^\s*[/!]/.test(message.text)) return null;
  // By identity, not by member: someone in two communities answers the question asked last.
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
  return answer(tx, row.survey, row.participant, message.text, row.language ?? row.communityLanguage, now);
}

/** Takes one message as the answer to the member's current question; returns the reply lines. */
async function answer(tx: Tx, survey: Survey, p: SurveyParticipant, message: string, language: Language, now: Date): Promise<string[]> {
  const key = and(eq(surveyParticipants.surveyId, survey.id), eq(surveyParticipants.memberId, p.memberId));
  const word = message.trim().toLowerCase();
  if (survey.closedAt || STOP_WORDS.includes(word)) {
    await tx.update(surveyParticipants).set({ status: 'paused', updatedAt: now }).where(key);
    return [survey.closedAt ? t(language, 'surveys.closed', { title: survey.title }) : t(language, 'surveys.paused', { number: p.nextQuestion })];
  }
  if (SURVEY_WORDS.includes(word)) return questionLines(language, survey, p.nextQuestion, true);

  const q = survey.questions[p.nextQuestion - 1]!;
  const reading = readAnswer(q, message);
  if (reading.kind === 'bad') return [t(language, reading.key, { count: q.options?.length ?? 5 })];
  const values = reading.kind === 'skip' ? { choices: null, text: null, skipped: true } : { choices: reading.choices, text: reading.text, skipped: false };
  await tx
    .insert(surveyAnswers)
    .values({ surveyId: survey.id, memberId: p.memberId, question: p.nextQuestion, ...values, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({ target: [surveyAnswers.surveyId, surveyAnswers.memberId, surveyAnswers.question], set: { ...values, updatedAt: now } });

  const next = p.nextQuestion + 1;
  if (next > survey.questions.length) {
    await tx.update(surveyParticipants).set({ status: 'completed', nextQuestion: next, completedAt: now, updatedAt: now }).where(key);
    return [t(language, 'surveys.done', { title: survey.title })];
  }
  await tx.update(surveyParticipants).set({ nextQuestion: next, updatedAt: now }).where(key);
  return questionLines(language, survey, next);
}
