import type { Command } from './registry.js';

/**
 * `link <slug|code>`. In a conversation no community has yet, the inbound pipeline links it
 * (see links.service.ts); this is what it says where there is nothing to link.
 */
export const linkCommand: Command = {
  name: 'link',
  words: { en: ['link'], nl: ['koppel', 'koppelen'] },
  help: ['help.link'],
  readOnly: true,
  async run(ctx) {
    if (ctx.direct) return ctx.reply('link.direct');
    ctx.reply('link.already', { community: ctx.community.name });
  },
};
