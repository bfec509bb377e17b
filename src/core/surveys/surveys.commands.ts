import { randomUUID } from 'node:crypto';
import type { Command } from '../commands/registry.js';
import { channelOf } from '../outbox/direct.js';
import { enqueue } from '../outbox/outbox.service.js';
import { activate, answerButton, directAddressOf, openingLines, pickSurvey, questionActions } from './conversation.js';

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
    const address = ctx.direct ? null : await directAddressOf(ctx.tx, ctx.member.id);
    if (!ctx.direct && !address) return ctx.reply('surveys.group.unreachable', { name: ctx.member.displayName });

    await activate(ctx.tx, survey, ctx.member.id, ctx.now);
    const next = participant?.nextQuestion ?? 1;
    const lines = openingLines(ctx.language, survey, next, participant ? 'resume' : 'start');
    if (ctx.direct) {
      const actions = questionActions(survey, next, ctx.language, ctx.channel);
      const raw = lines.map((text): ['surveys.raw', { text: string }] => ['surveys.raw', { text }]);
      return actions && ctx.replyWith ? ctx.replyWith(raw, { actions }) : ctx.replyLines(raw);
    }
    const actions = questionActions(survey, next, ctx.language, channelOf(address!));
    await enqueue(ctx.tx, [
      {
        communityId: ctx.community.id,
        channel: channelOf(address!),
        address: address!,
        spaceId: null,
        memberId: ctx.member.id,
        payload: { text: lines.join('\n'), ...(actions && { actions }) },
        // Each request opens the survey anew; a redelivered message never gets here twice.
        idempotencyKey: `survey:${survey.id}:${ctx.member.id}:open:${randomUUID()}`,
        availableAt: ctx.now,
      },
    ]);
    ctx.reply('surveys.group.continue', { name: ctx.member.displayName });
  },
};

/**
 * `answer <survey> <question> <choice>` (`antwoord …`): what a survey card's answer button runs
 * on Teams. Typed, it works too; members normally just send the number.
 */
export const answerCommand: Command = {
  name: 'answer',
  words: { en: ['answer'], nl: ['antwoord'] },
  help: [],
  async run(ctx, args) {
    const { lines, actions } = await answerButton(ctx.tx, ctx.member.id, args, ctx.language, ctx.channel, ctx.now);
    const raw = lines.map((text): ['surveys.raw', { text: string }] => ['surveys.raw', { text }]);
    if (actions && ctx.replyWith) return ctx.replyWith(raw, { actions });
    ctx.replyLines(raw);
  },
};

export const surveyCommands = [surveyCommand, answerCommand];
