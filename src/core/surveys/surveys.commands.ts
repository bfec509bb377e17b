import type { Command } from '../commands/registry.js';
import { sayInDirectChat } from '../inbound/direct.js';
import { activate, answerButton, openingLines, pickSurvey, questionActions } from './conversation.js';

/**
 * `survey` / `peiling`: starts or resumes the member's survey. In a direct chat the question
 * comes right back; in a group the bot says it continues in a direct chat and asks there.
 *
 * With arguments, `survey <survey ref> <question> <choice>` is what a survey card's answer
 * button runs on Teams (typed, it works too; members normally just send the number).
 */
export const surveyCommand: Command = {
  name: 'survey',
  words: { en: ['survey', 'surveys'], nl: ['peiling', 'vragenlijst'] },
  help: ['help.survey'],
  async run(ctx, args) {
    if (args.trim()) {
      const { lines, actions } = await answerButton(ctx.tx, ctx.member.id, args, ctx.language, ctx.channel, ctx.now);
      const raw = lines.map((text): ['raw', { text: string }] => ['raw', { text }]);
      if (actions && ctx.replyWith) return ctx.replyWith(raw, { actions });
      return ctx.replyLines(raw);
    }
    const picked = await pickSurvey(ctx.tx, ctx.community, ctx.member);
    if ('none' in picked) return ctx.reply(picked.none === 'allDone' ? 'surveys.allDone' : 'surveys.none', { community: ctx.community.name });
    const { survey, participant } = picked;
    const next = participant?.nextQuestion ?? 1;
    const lines = openingLines(ctx.language, survey, next, participant ? 'resume' : 'start');
    const opened = async (channel: Parameters<typeof questionActions>[3]) => ({ lines, actions: questionActions(survey, next, ctx.language, channel) });
    if (!(await sayInDirectChat(ctx, opened, `survey:${survey.id}:${ctx.member.id}:open`))) {
      return ctx.reply('surveys.group.unreachable', { name: ctx.member.displayName });
    }
    await activate(ctx.tx, survey, ctx.member.id, ctx.now);
    if (!ctx.direct) ctx.reply('surveys.group.continue', { name: ctx.member.displayName });
  },
};

export const surveyCommands = [surveyCommand];
