import { and, asc, eq, gt, inArray, isNull } from 'drizzle-orm';
import { eventAttendees, events, type EventRow } from '../../db/schema/index.js';
import type { Command, CommandContext } from '../commands/registry.js';
import type { MessageKey } from '../i18n/index.js';
import { formatDate } from '../i18n/index.js';
import { formatWhen } from './format.js';
import { button, counts, join, leave, lockEventByNumber, placesText } from './signup.js';

/** How many upcoming activities `events` lists (and offers buttons for). */
export const LIST_MAX = 10;
const BUTTONS_MAX = 5;

/** Buttons go with a reply where the channel can show them (Teams); text says the same elsewhere. */
function replyWithButtons(ctx: CommandContext, lines: [MessageKey, Record<string, string | number>?][], actions: { label: string; command: string }[]) {
  if (ctx.replyWith && actions.length) return ctx.replyWith(lines, { actions });
  ctx.replyLines(lines);
}

export const eventsCommand: Command = {
  name: 'events',
  words: { en: ['events', 'activities', 'agenda'], nl: ['activiteiten', 'evenementen', 'agenda'] },
  help: ['help.events'],
  readOnly: true,
  async run(ctx) {
    const upcoming = await ctx.tx
      .select()
      .from(events)
      .where(and(eq(events.communityId, ctx.community.id), isNull(events.cancelledAt), gt(events.endsAt, ctx.now)))
      .orderBy(asc(events.startsAt), asc(events.number))
      .limit(LIST_MAX);
    if (upcoming.length === 0) return ctx.reply('events.none', { community: ctx.community.name });
    const ids = upcoming.map((e) => e.id);
    const tally = await counts(ctx.tx, ids);
    const mine = new Map(
      (
        await ctx.tx
          .select({ eventId: eventAttendees.eventId, status: eventAttendees.status })
          .from(eventAttendees)
          .where(and(eq(eventAttendees.memberId, ctx.member.id), inArray(eventAttendees.eventId, ids)))
      ).map((r) => [r.eventId, r.status]),
    );
    const lines: [MessageKey, Record<string, string | number>?][] = [['events.title', { community: ctx.community.name }]];
    for (const event of upcoming) {
      const status = mine.get(event.id);
      lines.push([
        'events.line',
        {
          number: event.number,
          kind: ctx.t(`events.kind.${event.kind}`),
          title: event.title,
          when: formatWhen(ctx.language, event.startsAt, ctx.community.timezone),
          places: placesText(ctx.language, event, tally.get(event.id)!),
          mine: status ? ctx.t(status === 'confirmed' ? 'events.mine.confirmed' : 'events.mine.waiting') : '',
        },
      ]);
    }
    lines.push(['events.footer']);
    const actions = upcoming
      .slice(0, BUTTONS_MAX)
      .map((e) => button(mine.has(e.id) ? 'leave' : 'join', ctx.language, e.number));
    replyWithButtons(ctx, lines, actions);
  },
};

/** `join 3`, `#3`, `3.`: the number, or null. */
function eventNumber(args: string): number | null {
  const match = /^#?(\d{1,6})\b/.exec(args.trim());
  return match ? Number(match[1]) : null;
}

/** The locked event the args name, or null after telling the member what went wrong. */
async function named(ctx: CommandContext, args: string, usage: MessageKey): Promise<EventRow | null> {
  const number = eventNumber(args);
  if (number === null) {
    ctx.reply(usage);
    return null;
  }
  const event = await lockEventByNumber(ctx.tx, ctx.community.id, number);
  if (!event) ctx.reply('events.unknown', { number });
  return event;
}

export const joinCommand: Command = {
  name: 'join',
  words: { en: ['join', 'signup', 'attend'], nl: ['aanmelden', 'meedoen'] },
  help: ['help.join'],
  async run(ctx, args) {
    const event = await named(ctx, args, 'events.usage.join');
    if (!event) return;
    const outcome = await join(ctx.tx, ctx.community, event, ctx.member, ctx.now);
    const title = event.title;
    switch (outcome.kind) {
      case 'confirmed':
        return replyWithButtons(
          ctx,
          [['events.join.confirmed', { title, when: formatWhen(ctx.language, event.startsAt, ctx.community.timezone) }]],
          [button('leave', ctx.language, event.number)],
        );
      case 'waiting':
        return replyWithButtons(ctx, [['events.join.waiting', { title, position: outcome.position }]], [button('leave', ctx.language, event.number)]);
      case 'already-confirmed':
        return ctx.reply('events.join.already', { title });
      case 'already-waiting':
        return ctx.reply('events.join.alreadyWaiting', { title, position: outcome.position });
      case 'cancelled':
        return ctx.reply('events.cancelled', { title });
      case 'past':
        return ctx.reply('events.past', { title });
      case 'closed':
        return ctx.reply('events.closed', { title, date: formatDate(ctx.language, event.signupDeadline!, ctx.community.timezone) });
    }
  },
};

export const leaveCommand: Command = {
  name: 'leave',
  words: { en: ['leave', 'signoff'], nl: ['afmelden'] },
  help: ['help.leave'],
  async run(ctx, args) {
    const event = await named(ctx, args, 'events.usage.leave');
    if (!event) return;
    const outcome = await leave(ctx.tx, ctx.community, event, ctx.member.id, ctx.now);
    if (outcome.kind === 'not-signed-up') return ctx.reply('events.leave.notSignedUp', { title: event.title });
    const open = !event.cancelledAt && event.startsAt > ctx.now;
    replyWithButtons(ctx, [['events.leave.done', { title: event.title }]], open ? [button('join', ctx.language, event.number)] : []);
  },
};

/** The activity commands, for the command table. */
export const eventCommands: Command[] = [eventsCommand, joinCommand, leaveCommand];
