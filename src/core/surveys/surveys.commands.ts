import type { Command } from '../commands/registry.js';
import { sayInDirectChat } from '../inbound/direct.js';
import { activate, openingLines, pickSurvey } from './conversation.js';

/**
 * `survey` / `peiling`: starts or resumes the member's survey. In a direct chat the question
 * comes right back; in a group the bot says it continues in a direct chat and asks there.
 */
export const surveyCommand: Command = {
  name: 'survey',
  words: { en: ['survey', 'surveys'], nl: ['peiling', 'vragenlijst'] },
  help: ['help.survey'],
  async run(ctx) {
    const picked = await pickSurvey(ctx.tx, ctx.community, ctx.member);
    if ('none' in picked) return ctx.reply(picked.none === 'allDone' ? 'surveys.allDone' : 'surveys.none', { community: ctx.community.name });
    const { survey, participant } = picked;
    const lines = openingLines(ctx.language, survey, participant?.nextQuestion ?? 1, participant ? 'resume' : 'start');
    if (!(await sayInDirectChat(ctx, lines, `survey:${survey.id}:${ctx.member.id}:open`))) {
      return ctx.reply('surveys.group.unreachable', { name: ctx.member.displayName });
    }
    await activate(ctx.tx, survey, ctx.member.id, ctx.now);
    if (!ctx.direct) ctx.reply('surveys.group.continue', { name: ctx.member.displayName });
  },
};

export const surveyCommands = [surveyCommand];
