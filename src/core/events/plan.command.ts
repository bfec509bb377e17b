import { DEFAULT_REMINDER_MINUTES } from '../../db/schema/index.js';
import type { Command } from '../commands/registry.js';
import { CoreError } from '../errors.js';
import type { MessageKey } from '../i18n/index.js';
import { checkEvent } from './events.views.js';
import { formatWhen } from './format.js';
import { parsePlan } from './plan.parse.js';
import { holidayNotice, holidaysOf, insertEvent, tellManagersOfHolidays } from './plan.js';
import { placeText } from './signup.js';
import { localDay } from './time.js';

/**
 * `plan 12-03 19:30 Intervisie | Buurthuis | 20` (`plannen …`): an ambassador or manager plans
 * an activity from the chat. It is announced in every space like one planned over the API; the
 * reply gives its number, and says so when it falls in a school holiday (the other managers are
 * told in their own chat, as when it is planned over the API).
 */
export const planCommand: Command = {
  name: 'plan',
  words: { en: ['plan', 'schedule'], nl: ['plan', 'plannen', 'inplannen'] },
  help: ['help.plan'],
  async run(ctx, args) {
    if (ctx.member.role !== 'manager' && ctx.member.role !== 'ambassador') return ctx.reply('events.plan.forbidden');
    const { timezone } = ctx.community;
    const reading = parsePlan(args, timezone, ctx.now);
    if (!reading.ok) return ctx.replyLines([[`events.plan.bad.${reading.why}` satisfies MessageKey], ['events.plan.usage']]);
    const draft = reading.draft;
    if (draft.startsAt <= ctx.now) return ctx.reply('events.plan.past', { when: formatWhen(ctx.language, draft.startsAt, timezone) });
    const fields = { ...draft, description: '', hostOrganisationId: null, signupDeadline: null, reminderMinutes: DEFAULT_REMINDER_MINUTES };
    try {
      checkEvent(fields);
    } catch (error) {
      if (error instanceof CoreError && error.code === 'invalid') return ctx.reply('events.plan.invalid');
      throw error;
    }
    const { event, community } = await insertEvent(ctx.tx, ctx.community.id, fields, ctx.now);
    const end = formatWhen(ctx.language, event.endsAt, timezone);
    const lines: [MessageKey, Record<string, string | number>?][] = [
      [
        'events.plan.done',
        {
          number: event.number,
          kind: ctx.t(`events.kind.${event.kind}`),
          title: event.title,
          when: formatWhen(ctx.language, event.startsAt, timezone),
          // The end's time alone when it is the same day: "Thu 12 March at 19:30 to 21:30".
          end: localDay(event.endsAt, timezone) === localDay(event.startsAt, timezone) ? end.slice(-5) : end,
          place: placeText(ctx.language, event),
          places: event.capacity === null ? '' : ctx.t('events.plan.places', { capacity: event.capacity }),
        },
      ],
    ];
    const holidays = holidaysOf(event, timezone);
    if (holidays.length) {
      lines.push(['events.plan.raw', { text: holidayNotice(ctx.language, community, event, holidays) }]);
      await tellManagersOfHolidays(ctx.tx, community, event, ctx.now, ctx.member.id);
    }
    ctx.replyLines(lines);
  },
};
