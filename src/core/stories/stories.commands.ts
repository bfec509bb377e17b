import { eq } from 'drizzle-orm';
import { stories } from '../../db/schema/index.js';
import type { Command } from '../commands/registry.js';
import { sayInDirectChat } from '../inbound/direct.js';
import { ANONYMOUS_WORDS, latestSubmitted, openDraft, STORY_MAX, submitStory } from './story.js';

/**
 * `story <text>` / `verhaal <tekst>` submits a failure story for review (`story anonymous <text>`
 * without the author's name); `story` alone tells it step by step in a direct chat (from a
 * group, the bot asks there); `story anonymous` alone makes the story just sent anonymous.
 */
export const storyCommand: Command = {
  name: 'story',
  words: { en: ['story'], nl: ['verhaal'] },
  help: ['help.story'],
  async run(ctx, args) {
    const first = args.split(/\s+/)[0] ?? '';
    const anonymous = ANONYMOUS_WORDS.includes(first.toLowerCase());
    const text = (anonymous ? args.slice(first.length) : args).trim();
    if (!text && anonymous) {
      const pending = await latestSubmitted(ctx.tx, ctx.member.id);
      if (pending) {
        await ctx.tx.update(stories).set({ anonymous: true, updatedAt: ctx.now }).where(eq(stories.id, pending.id));
        return ctx.reply('stories.madeAnonymous');
      }
    }
    if (!text) {
      const opened = () => openDraft(ctx.tx, ctx.community, ctx.member, ctx.language, ctx.now);
      if (!(await sayInDirectChat(ctx, opened, `story:${ctx.member.id}:open`))) {
        return ctx.reply('stories.guided.unreachable', { name: ctx.member.displayName });
      }
      if (!ctx.direct) ctx.reply('stories.guided.group', { name: ctx.member.displayName });
      return;
    }
    const length = [...text].length;
    if (length > STORY_MAX) return ctx.reply('stories.tooLong', { max: STORY_MAX, length });
    await submitStory(ctx.tx, ctx.community, ctx.member, text, anonymous, ctx.language, ctx.now);
    ctx.replyLines([['stories.submitted', { name: ctx.member.displayName }], [anonymous ? 'stories.submitted.anonymous' : 'stories.submitted.credited']]);
  },
};

export const storyCommands = [storyCommand];
