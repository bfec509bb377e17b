import type { Command } from '../commands/registry.js';
import { CoreError } from '../errors.js';
import { ANNOUNCEMENT_MAX, announce } from './announcements.service.js';

/** `announce <text>`: the core group and the manager post to every group and channel at once. */
export const announceCommand: Command = {
  name: 'announce',
  words: { en: ['announce', 'announcement'], nl: ['aankondiging', 'aankondigen', 'mededeling'] },
  help: ['help.announce'],
  async run(ctx, args) {
    if (ctx.member.role !== 'manager' && ctx.member.role !== 'ambassador') return ctx.reply('announcements.forbidden');
    if (!args.trim()) return ctx.reply('announcements.usage', { max: ANNOUNCEMENT_MAX });
    try {
      // A savepoint: a refused announcement must not undo what the batch did before it.
      const sent = await ctx.tx.transaction((sp) => announce(sp, ctx.community, args, ctx.now, { createdById: ctx.member.id }));
      ctx.reply('announcements.done', { spaces: sent.spaceIds.length });
    } catch (error) {
      if (error instanceof CoreError && error.code === 'invalid') return ctx.reply('announcements.usage', { max: ANNOUNCEMENT_MAX });
      throw error;
    }
  },
};
