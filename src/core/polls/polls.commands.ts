import { and, desc, eq, gt, inArray, isNull, or } from 'drizzle-orm';
import { pollVotes, polls, type Poll } from '../../db/schema/index.js';
import type { Command, CommandContext } from '../commands/registry.js';
import { CoreError } from '../errors.js';
import { formatWhen } from '../events/format.js';
import { castVote, closePoll, createPoll, isClosed, pollByNumber, pollPayload } from './polls.service.js';

/** How many open polls `polls` lists. */
const LIST_MAX = 10;

const mayRun = (ctx: CommandContext) => ctx.member.role === 'manager' || ctx.member.role === 'ambassador';
const choiceText = (poll: Poll, choices: number[]) => choices.map((c) => `${c}. ${poll.options[c - 1]}`).join(', ');

export const pollsCommand: Command = {
  name: 'polls',
  words: { en: ['polls'], nl: ['polls', 'stemmingen'] },
  help: ['help.polls'],
  readOnly: true,
  async run(ctx) {
    // Open: not closed, and its closing time (if any) not passed, though the scheduler may not
    // have closed it yet.
    const open = await ctx.tx
      .select()
      .from(polls)
      .where(and(eq(polls.communityId, ctx.community.id), isNull(polls.closedAt), or(isNull(polls.closesAt), gt(polls.closesAt, ctx.now))))
      .orderBy(desc(polls.number))
      .limit(LIST_MAX);
    if (open.length === 0) return ctx.reply('polls.none', { community: ctx.community.name });
    const mine = await ctx.tx
      .select()
      .from(pollVotes)
      .where(and(eq(pollVotes.memberId, ctx.member.id), inArray(pollVotes.pollId, open.map((p) => p.id))));
    ctx.replyLines([
      ['polls.title', { community: ctx.community.name }],
      ...open.map((poll): [ 'polls.line', Record<string, string | number>] => {
        const vote = mine.find((v) => v.pollId === poll.id);
        return [
          'polls.line',
          {
            number: poll.number,
            question: poll.question,
            closes: poll.closesAt ? ctx.t('polls.line.closes', { date: formatWhen(ctx.language, poll.closesAt, ctx.community.timezone) }) : '',
            mine: vote ? ctx.t('polls.line.mine', { choices: choiceText(poll, vote.choices) }) : ctx.t('polls.line.notVoted'),
          },
        ];
      }),
      ['polls.footer'],
    ]);
  },
};

export const voteCommand: Command = {
  name: 'vote',
  words: { en: ['vote'], nl: ['stem'] },
  help: ['help.vote'],
  async run(ctx, args) {
    const [numberText, ...rest] = args.split(/[\s,]+/).filter(Boolean);
    const number = Number(numberText);
    if (!numberText || !Number.isInteger(number) || number < 1) return ctx.reply('polls.usage.vote');
    const poll = await pollByNumber(ctx.tx, ctx.community.id, number);
    if (!poll) return ctx.reply('polls.unknown', { number: numberText.slice(0, 12) });

    if (rest.length === 0) {
      // `vote 3`: the poll again, with the member's vote and the options as buttons.
      const [vote] = await ctx.tx.select().from(pollVotes).where(and(eq(pollVotes.pollId, poll.id), eq(pollVotes.memberId, ctx.member.id)));
      const payload = pollPayload(poll, ctx.language);
      const lines = payload.text.split('\n').map((line): ['polls.raw', { text: string }] => ['polls.raw', { text: line }]);
      if (vote) lines.push(['polls.raw', { text: ctx.t('polls.vote.mine', { choices: choiceText(poll, vote.choices) }) }]);
      if (isClosed(poll, ctx.now)) return ctx.reply('polls.vote.closed', { number });
      if (ctx.replyWith) return ctx.replyWith(lines, { actions: payload.poll.options });
      return ctx.replyLines(lines);
    }

    const choices = rest.map(Number);
    if (choices.some((c) => !Number.isInteger(c))) return ctx.reply('polls.vote.badChoice', { number, count: poll.options.length });
    const outcome = await castVote(ctx.tx, poll, ctx.member.id, choices.filter((c) => c !== 0), ctx.now);
    // A native poll vote shows itself in the chat: answering each one would flood the group.
    if (ctx.via === 'poll' && (outcome.kind === 'voted' || outcome.kind === 'cleared')) return;
    switch (outcome.kind) {
      case 'voted':
        return ctx.reply('polls.vote.done', { name: ctx.member.displayName, number, choices: choiceText(poll, outcome.choices) });
      case 'cleared':
        return ctx.reply('polls.vote.cleared', { number });
      case 'closed':
        return ctx.reply('polls.vote.closed', { number });
      case 'bad-choice':
        return ctx.reply('polls.vote.badChoice', { number, count: outcome.count });
      case 'one-only':
        return ctx.reply('polls.vote.oneOnly', { number });
    }
  },
};

export const pollCommand: Command = {
  name: 'poll',
  words: { en: ['poll'], nl: ['stemming'] },
  help: ['help.poll'],
  async run(ctx, args) {
    if (!mayRun(ctx)) return ctx.reply('polls.create.forbidden');
    const close = /^(close|sluit)\s+(\d+)$/i.exec(args.trim());
    if (close) {
      const poll = await pollByNumber(ctx.tx, ctx.community.id, Number(close[2]));
      if (!poll) return ctx.reply('polls.unknown', { number: close[2]! });
      if (poll.closedAt) return ctx.reply('polls.close.already', { number: poll.number });
      await closePoll(ctx.tx, poll, ctx.now);
      return ctx.reply('polls.close.done', { number: poll.number });
    }
    const [question = '', ...options] = args.split('|').map((part) => part.trim());
    if (!question || options.length === 0) return ctx.reply('polls.create.usage');
    try {
      // A savepoint: a refused poll must not undo what the batch did before it.
      const { poll, spaces } = await ctx.tx.transaction((sp) => createPoll(sp, ctx.community, { question, options }, ctx.now, ctx.member.id));
      ctx.reply('polls.create.done', { number: poll.number, spaces });
    } catch (error) {
      if (error instanceof CoreError && error.code === 'invalid') return ctx.reply('polls.create.usage');
      throw error;
    }
  },
};

export const pollCommands = [pollsCommand, voteCommand, pollCommand];
