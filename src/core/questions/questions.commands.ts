import { and, asc, count, desc, eq, inArray, isNull } from 'drizzle-orm';
import { answers, questions, type Question } from '../../db/schema/index.js';
import type { Command, CommandContext } from '../commands/registry.js';
import { CoreError } from '../errors.js';
import type { MessageListener } from '../inbound/inbound.service.js';
import { t, type MessageKey, type Params } from '../i18n/index.js';
import { markChat, searchKnowledge } from './questions.search.js';
import { addAnswer, askQuestion, authorsOf, clip, originOf, QUESTION_MAX, questionByNumber, questionRepliedTo, solveQuestion } from './questions.service.js';

/** How many open questions `questions` lists, answers `ask 3` shows, and hits `search` gives. */
const LIST_MAX = 10;
const SEARCH_MAX_HITS = 5;
/** How much of each answer `ask 3` shows in chat (the API has them whole). */
const SHOWN_ANSWER_CHARS = 400;

/** One line of a reply: a catalogue key and its values. */
type Line = [MessageKey, Params?];

const origin = (ctx: CommandContext) => (ctx.origin ? originOf(ctx.origin.message, ctx.origin.space) : null);

/** `ask 3`: the question with its answers, the best one first. */
async function showQuestion(ctx: CommandContext, question: Question) {
  const list = await ctx.tx
    .select()
    .from(answers)
    .where(and(eq(answers.questionId, question.id), eq(answers.hidden, false)))
    .orderBy(asc(answers.number));
  const shown = [...list.filter((a) => a.id === question.solvedAnswerId), ...list.filter((a) => a.id !== question.solvedAnswerId)].slice(0, LIST_MAX);
  const who = await authorsOf(ctx.tx, [question.askedById, ...shown.map((a) => a.memberId)], ctx.language);
  ctx.replyLines([
    ['questions.show', { number: question.number, who: who(question.askedById), solved: question.solvedAt ? ctx.t('questions.show.solved') : '', text: question.text }],
    ...(shown.length === 0
      ? [['questions.show.none', { number: question.number }] satisfies Line]
      : shown.map((a): Line => [
          'questions.show.answer',
          { answer: a.number, who: who(a.memberId), best: a.id === question.solvedAnswerId ? ctx.t('questions.show.best') : '', text: clip(a.text, SHOWN_ANSWER_CHARS) },
        ])),
  ]);
}

export const askCommand: Command = {
  name: 'ask',
  words: { en: ['ask', 'question'], nl: ['vraag'] },
  help: ['help.ask'],
  async run(ctx, args) {
    if (!args) return ctx.reply('questions.ask.usage', { max: QUESTION_MAX });
    if (/^\d{1,9}$/.test(args)) {
      const question = await questionByNumber(ctx.tx, ctx.community.id, Number(args));
      return question ? showQuestion(ctx, question) : ctx.reply('questions.unknown', { number: args });
    }
    try {
      const { question, spaces } = await askQuestion(ctx.tx, ctx.community, { text: args, askedById: ctx.member.id, origin: origin(ctx) }, ctx.now);
      // In a WhatsApp group the question's own post is the confirmation; a direct chat or a
      // Teams thread (the post goes to the channel, not the thread) is told where it went.
      if (!ctx.origin?.space || ctx.origin.message.replyAddress) ctx.reply('questions.asked', { number: question.number, spaces });
    } catch (error) {
      if (error instanceof CoreError && error.code === 'invalid') return ctx.reply('questions.ask.usage', { max: QUESTION_MAX });
      throw error;
    }
  },
};

export const answerCommand: Command = {
  name: 'answer',
  words: { en: ['answer'], nl: ['antwoord'] },
  help: ['help.answer'],
  async run(ctx, args) {
    const match = /^(\d{1,9})\s+([\s\S]*\S[\s\S]*)$/.exec(args);
    if (!match) return ctx.reply('questions.answer.usage');
    const question = await questionByNumber(ctx.tx, ctx.community.id, Number(match[1]));
    if (!question) return ctx.reply('questions.unknown', { number: match[1]! });
    const answer = await addAnswer(ctx.tx, ctx.community, question, { memberId: ctx.member.id, text: match[2]!, origin: origin(ctx), via: 'command' }, ctx.now);
    ctx.reply('questions.answer.done', { name: ctx.member.displayName, answer: answer.number, number: question.number });
  },
};

export const solvedCommand: Command = {
  name: 'solved',
  words: { en: ['solved'], nl: ['opgelost'] },
  help: ['help.solved'],
  async run(ctx, args) {
    const match = /^(\d{1,9})(?:\s+(\d{1,9}))?$/.exec(args);
    if (!match) return ctx.reply('questions.solve.usage');
    const question = await questionByNumber(ctx.tx, ctx.community.id, Number(match[1]));
    if (!question) return ctx.reply('questions.unknown', { number: match[1]! });
    if (question.askedById !== ctx.member.id && ctx.member.role !== 'manager') return ctx.reply('questions.solve.forbidden', { number: question.number });
    const answerNumber = match[2] ? Number(match[2]) : null;
    const outcome = await solveQuestion(ctx.tx, ctx.community, question, answerNumber, ctx.member.id, ctx.now);
    if (outcome.kind === 'bad-answer') return ctx.reply('questions.solve.badAnswer', { number: question.number, answer: answerNumber! });
    ctx.reply(outcome.kind === 'already' ? 'questions.solve.already' : 'questions.solve.done', { number: question.number });
  },
};

export const questionsCommand: Command = {
  name: 'questions',
  words: { en: ['questions'], nl: ['vragen'] },
  help: ['help.questions'],
  readOnly: true,
  async run(ctx) {
    const open = await ctx.tx
      .select()
      .from(questions)
      .where(and(eq(questions.communityId, ctx.community.id), isNull(questions.solvedAt), eq(questions.hidden, false)))
      .orderBy(desc(questions.number))
      .limit(LIST_MAX);
    if (open.length === 0) return ctx.reply('questions.list.none', { community: ctx.community.name });
    const counts = await ctx.tx
      .select({ questionId: answers.questionId, n: count() })
      .from(answers)
      .where(and(inArray(answers.questionId, open.map((q) => q.id)), eq(answers.hidden, false)))
      .groupBy(answers.questionId);
    ctx.replyLines([
      ['questions.list.title', { community: ctx.community.name }],
      ...open.map((q): Line => ['questions.list.line', { number: q.number, text: clip(q.text, 120), answers: counts.find((c) => c.questionId === q.id)?.n ?? 0 }]),
      ['questions.list.footer'],
    ]);
  },
};

export const searchCommand: Command = {
  name: 'search',
  words: { en: ['search', 'find'], nl: ['zoek', 'zoeken'] },
  help: ['help.search'],
  readOnly: true,
  async run(ctx, args) {
    if (!args) return ctx.reply('search.usage');
    const query = clip(args.replace(/\s+/g, ' '), 100);
    const found = await searchKnowledge(ctx.tx, ctx.community.id, args, { limit: SEARCH_MAX_HITS });
    if (found.total === 0) return ctx.reply('search.none', { query });
    ctx.replyLines([
      ['search.title', { query, total: found.total }],
      ...found.items.map((hit): Line => ['search.line', { number: hit.number, solved: hit.solved ? ctx.t('search.solved') : '', snippet: markChat(hit.snippet) }]),
      found.total > found.items.length ? ['search.more', { more: found.total - found.items.length }] : ['search.footer'],
    ]);
  },
};

export const questionCommands = [askCommand, answerCommand, solvedCommand, questionsCommand, searchCommand];

/**
 * An ordinary message that replies to a question — a WhatsApp quoted reply to its post (or to
 * the asker's message, or to the ambassadors' nudge), a Teams reply in its post's thread — is an
 * answer to it. Quiet in a group (the reply is there for all to see); thanked in a direct chat.
 */
export const answerByReply: MessageListener = async (tx, heard) => {
  const replied = heard.message.inReplyTo?.externalMessageId;
  const text = heard.message.text.trim();
  if (!replied || !text) return;
  const question = await questionRepliedTo(tx, heard.community, heard.message.channel, replied);
  if (!question) return;
  const origin = originOf(heard.message, heard.space);
  const answer = await addAnswer(tx, heard.community, question, { memberId: heard.member.id, text, origin, via: 'reply' }, heard.now);
  if (!heard.space) {
    heard.queue({
      communityId: heard.community.id,
      channel: heard.message.channel,
      address: origin.address,
      spaceId: null,
      memberId: heard.member.id,
      payload: { text: t(heard.language, 'questions.answer.done', { name: heard.member.displayName, answer: answer.number, number: question.number }) },
      idempotencyKey: `reply:${heard.message.channel}:${heard.message.externalMessageId}:answer`,
      availableAt: heard.now,
    });
  }
  return 'answer';
};
