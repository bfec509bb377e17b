import { and, asc, eq, gt, inArray, max } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { answers, members, organisations, outbox, questions, type Answer, type Community, type Language, type Question, type Space } from '../../db/schema/index.js';
import { addressOf, type ChannelName, type InboundMessage } from '../channel.js';
import { invalid } from '../errors.js';
import { t } from '../i18n/index.js';
import { nextNumber } from '../numbering.js';
import { broadcast } from '../outbox/broadcast.js';
import { enqueue } from '../outbox/outbox.service.js';

export const QUESTION_MAX = 1_000;
/** Answers are kept whole, as far as the inbound pipeline reads a message (MAX_INBOUND_TEXT). */
export const ANSWER_MAX = 8_000;
/** How much of an answer a notice to the asker quotes. */
const NOTICE_ANSWER_CHARS = 500;
/** The asker hears of answers at most this often per question; answers in between come together. */
export const NOTIFY_GAP_MS = 30 * 60_000;

/** Where a question or answer was written: for telling the asker, and for replies to it. */
export interface Origin {
  channel: ChannelName;
  /** The conversation (or Teams thread) to answer in. */
  address: string;
  /** The platform id of the member's message. */
  messageId: string;
  /** The group or channel; null in a direct chat. */
  spaceId: string | null;
}

export function originOf(message: InboundMessage, space: Space | null): Origin {
  return {
    channel: message.channel,
    address: message.replyAddress ?? addressOf(message.channel, message.space.externalId),
    messageId: message.externalMessageId,
    spaceId: space?.id ?? null,
  };
}

/**
 * Members as others see them: "Anna (Gemeente Utrecht)", their display name and organisation,
 * never a phone number (display names come from the platform's profile name, or "Member").
 */
export async function authorsOf(tx: Tx, memberIds: (string | null)[], language: Language): Promise<(id: string | null) => string> {
  const ids = [...new Set(memberIds.filter((id): id is string => id !== null))];
  const rows = ids.length
    ? await tx
        .select({ id: members.id, name: members.displayName, organisation: organisations.name })
        .from(members)
        .leftJoin(organisations, eq(organisations.id, members.organisationId))
        .where(inArray(members.id, ids))
    : [];
  const names = new Map(rows.map((r) => [r.id, r.organisation ? `${r.name} (${r.organisation})` : r.name]));
  return (id) => (id && names.get(id)) || t(language, 'member.unnamed');
}

/** A community's question by its chat number; hidden ones are not there for chat. */
export async function questionByNumber(tx: Tx, communityId: string, number: number): Promise<Question | null> {
  const [question] = await tx.select().from(questions).where(and(eq(questions.communityId, communityId), eq(questions.number, number), eq(questions.hidden, false)));
  return question ?? null;
}

/** Text cut to `max` characters, with an ellipsis when it was longer. */
export const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text);

/** Asks the whole community: the question gets a number and is posted to every space, in one transaction. */
export async function askQuestion(
  tx: Tx,
  community: Community,
  input: { text: string; askedById: string | null; origin: Origin | null },
  now: Date,
): Promise<{ question: Question; spaces: number }> {
  const text = input.text.trim();
  if (!text || text.length > QUESTION_MAX) throw invalid(`A question is 1 to ${QUESTION_MAX} characters`);
  const { number } = await nextNumber(tx, community.id, questions);
  const [question] = await tx
    .insert(questions)
    .values({
      communityId: community.id,
      number,
      text,
      language: community.language,
      askedById: input.askedById,
      spaceId: input.origin?.spaceId ?? null,
      askedChannel: input.origin?.channel ?? null,
      askedAddress: input.origin?.address ?? null,
      askedMessageId: input.origin?.messageId ?? null,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  const who = (await authorsOf(tx, [input.askedById], community.language))(input.askedById);
  const spaces = await broadcast(tx, community.id, `question:${question!.id}:post`, { text: t(community.language, 'questions.post', { number, who, text }) }, now);
  return { question: question!, spaces };
}

/**
 * Records an answer (numbered per question) and tells the asker, unless they wrote it or it was
 * given where they asked. The question row is locked, so two answers at once get two numbers.
 */
export async function addAnswer(
  tx: Tx,
  community: Community,
  question: Question,
  input: { memberId: string; text: string; origin: Origin | null; via: Answer['via'] },
  now: Date,
): Promise<Answer> {
  const text = input.text.trim().slice(0, ANSWER_MAX);
  if (!text) throw invalid('An answer must say something');
  const [locked] = await tx.select().from(questions).where(eq(questions.id, question.id)).for('update');
  const [last] = await tx.select({ n: max(answers.number) }).from(answers).where(eq(answers.questionId, question.id));
  const askerSaw = input.memberId === locked!.askedById || (input.origin !== null && input.origin.address === locked!.askedAddress);
  const [answer] = await tx
    .insert(answers)
    .values({
      questionId: question.id,
      communityId: community.id,
      number: (last?.n ?? 0) + 1,
      text,
      language: locked!.language,
      memberId: input.memberId,
      spaceId: input.origin?.spaceId ?? null,
      via: input.via,
      askerSaw,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  if (!askerSaw) await tellAsker(tx, community, locked!, now);
  return answer!;
}

/**
 * Tells the asker of the answers they have not heard of, in the conversation they asked in — at
 * most once per NOTIFY_GAP_MS per question: answers that come sooner wait (notifyDueAt) and go
 * together, so a lively thread does not become a stream of notices.
 */
export async function tellAsker(tx: Tx, community: Community, question: Question, now: Date): Promise<boolean> {
  if (!question.askedAddress || !question.askedChannel) return false;
  const untold = await tx
    .select()
    .from(answers)
    .where(and(eq(answers.questionId, question.id), gt(answers.number, question.notifiedThrough), eq(answers.askerSaw, false), eq(answers.hidden, false)))
    .orderBy(asc(answers.number));
  if (untold.length === 0) {
    if (question.notifyDueAt) await tx.update(questions).set({ notifyDueAt: null }).where(eq(questions.id, question.id));
    return false;
  }
  if (question.notifiedAt && now.getTime() - question.notifiedAt.getTime() < NOTIFY_GAP_MS) {
    if (!question.notifyDueAt) {
      await tx.update(questions).set({ notifyDueAt: new Date(question.notifiedAt.getTime() + NOTIFY_GAP_MS) }).where(eq(questions.id, question.id));
    }
    return false;
  }
  const [asker] = question.askedById ? await tx.select().from(members).where(eq(members.id, question.askedById)) : [];
  const language = asker?.language ?? community.language;
  const who = await authorsOf(tx, untold.map((a) => a.memberId), language);
  const through = untold.at(-1)!.number;
  const params = { number: question.number, question: clip(question.text, 80), count: untold.length };
  const lines = [
    t(language, untold.length === 1 ? 'questions.notify.one' : 'questions.notify.many', params),
    ...untold.map((a) => t(language, 'questions.notify.line', { answer: a.number, who: who(a.memberId), text: clip(a.text, NOTICE_ANSWER_CHARS) })),
    t(language, 'questions.notify.footer', { number: question.number }),
  ];
  await enqueue(tx, [
    {
      communityId: community.id,
      channel: question.askedChannel,
      address: question.askedAddress,
      spaceId: question.spaceId,
      memberId: question.askedById,
      // In a group, quoting their own question says whom it is for.
      payload: { text: lines.join('\n\n'), ...(question.spaceId && question.askedMessageId ? { replyTo: question.askedMessageId } : {}) },
      idempotencyKey: `question:${question.id}:notify:${through}`,
      availableAt: now,
    },
  ]);
  await tx.update(questions).set({ notifiedThrough: through, notifiedAt: now, notifyDueAt: null, updatedAt: now }).where(eq(questions.id, question.id));
  return true;
}

export type SolveOutcome = { kind: 'solved'; question: Question } | { kind: 'already' } | { kind: 'bad-answer' };

/** Marks a question solved, with its best answer if named, and tells every space. */
export async function solveQuestion(tx: Tx, community: Community, question: Question, answerNumber: number | null, by: string | null, now: Date): Promise<SolveOutcome> {
  let best: Answer | null = null;
  if (answerNumber !== null) {
    [best = null] = await tx.select().from(answers).where(and(eq(answers.questionId, question.id), eq(answers.number, answerNumber), eq(answers.hidden, false)));
    if (!best) return { kind: 'bad-answer' };
  }
  if (question.solvedAt && question.solvedAnswerId === (best?.id ?? null)) return { kind: 'already' };
  const [solved] = await tx
    .update(questions)
    .set({ solvedAt: now, solvedAnswerId: best?.id ?? null, notifyDueAt: null, updatedAt: now })
    .where(eq(questions.id, question.id))
    .returning();
  const language = community.language;
  const lines = [t(language, 'questions.solved.post', { number: question.number, question: question.text })];
  if (best) lines.push(t(language, 'questions.solved.best', { who: (await authorsOf(tx, [best.memberId], language))(best.memberId), text: best.text }));
  await broadcast(tx, community.id, `question:${question.id}:solved:${best?.id ?? 'none'}:${by ?? 'api'}`, { text: lines.join('\n\n') }, now);
  return { kind: 'solved', question: solved! };
}

/**
 * The question a reply answers: the platform id it quotes (a WhatsApp quoted message, a Teams
 * thread's root post) is the bot's post of a question in a space, the ambassadors' nudge about
 * it, or the asker's own `ask` message.
 */
export async function questionRepliedTo(tx: Tx, community: Community, channel: ChannelName, externalId: string): Promise<Question | null> {
  const sent = await tx
    .select({ key: outbox.idempotencyKey })
    .from(outbox)
    .where(and(eq(outbox.channel, channel), eq(outbox.externalId, externalId), eq(outbox.communityId, community.id)))
    .limit(5);
  // Its post and the nudge ask for answers; a reply to a notice or to the "solved" post is talk
  // about the answers (often the asker's thanks), not one more.
  const id = sent.map((row) => /^question:([0-9a-f-]{36}):(?:post|escalate):/.exec(row.key)?.[1]).find(Boolean);
  const where = id
    ? and(eq(questions.id, id), eq(questions.communityId, community.id))
    : and(eq(questions.communityId, community.id), eq(questions.askedChannel, channel), eq(questions.askedMessageId, externalId));
  const [question] = await tx.select().from(questions).where(and(where, eq(questions.hidden, false)));
  return question ?? null;
}
