import { randomUUID } from 'node:crypto';
import type { ChannelName } from '../../db/schema/index.js';
import type { Command } from '../commands/registry.js';
import { enqueue } from '../outbox/outbox.service.js';
import { activate, directAddressOf, openingLines, pickSurvey } from './conversation.js';

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
    if (ctx.direct) return ctx.replyLines(lines.map((text) => ['surveys.raw', { text }]));
    await enqueue(ctx.tx, [
      {
        communityId: ctx.community.id,
        channel: address!.slice(0, address!.indexOf(':')) as ChannelName,
        address: address!,
        spaceId: null,
        memberId: ctx.member.id,
        payload: { text: lines.join('\n') },
        // Each request opens the survey anew; a redelivered message never gets here twice.
        idempotencyKey: `survey:${survey.id}:${ctx.member.id}:open:${randomUUID()}`,
        availableAt: ctx.now,
      },
    ]);
    ctx.reply('surveys.group.continue', { name: ctx.member.displayName });
  },
};

export const surveyCommands = [surveyCommand];
