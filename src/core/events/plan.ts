import { and, asc, eq, ne } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { events, members, type Community, type EventRow, type Language, type NewEventRow } from '../../db/schema/index.js';
import { t } from '../i18n/index.js';
import { nextNumber } from '../numbering.js';
import { enqueue, type OutboxMessage } from '../outbox/outbox.service.js';
import { formatDay, formatWhen } from './format.js';
import { schoolHolidaysBetween, type SchoolHoliday } from './school-holidays.js';
import { button, languageOf, placeText, spaceReminders, tellSpaces, toMember } from './signup.js';
import { localDay } from './time.js';

/** What an activity is made of, checked (see checkEvent), as the service and `plan` write it. */
export type EventFields = Omit<NewEventRow, 'id' | 'communityId' | 'number' | 'createdAt' | 'updatedAt' | 'cancelledAt'> &
  Pick<EventRow, 'kind' | 'title' | 'startsAt' | 'endsAt' | 'reminderMinutes'>;

/**
 * Writes a new activity with its number, its space reminders and (unless `announce` is false)
 * the announcement with a Join button in every space. Returns the row and how many spaces were told.
 */
export async function insertEvent(tx: Tx, communityId: string, fields: EventFields, now: Date, announce = true): Promise<{ event: EventRow; community: Community; spaces: number }> {
  const { community: c, number } = await nextNumber(tx, communityId, events);
  const [event] = await tx.insert(events).values({ communityId, number, ...fields, createdAt: now, updatedAt: now }).returning();
  await enqueue(tx, await spaceReminders(tx, c, event!, now));
  let spaces = 0;
  if (announce) {
    const language = c.language;
    const text = t(language, 'events.announce', {
      number: event!.number,
      kind: t(language, `events.kind.${event!.kind}`),
      title: event!.title,
      when: formatWhen(language, event!.startsAt, c.timezone),
      place: placeText(language, event!),
    });
    spaces = await tellSpaces(tx, c, event!, 'announce', now, text, [button('join', language, event!.number)]);
  }
  return { event: event!, community: c, spaces };
}

/** The Dutch school holidays an activity's local days fall in (seed 003: a reason activities failed). */
export const holidaysOf = (event: Pick<EventRow, 'startsAt' | 'endsAt'>, timeZone: string): SchoolHoliday[] =>
  schoolHolidaysBetween(localDay(event.startsAt, timeZone), localDay(event.endsAt, timeZone));

/** "the autumn holiday (herfstvakantie) of region zuid (17 October to 25 October)", one per holiday. */
export function holidayText(language: Language, holidays: SchoolHoliday[]): string {
  return holidays
    .map((h) =>
      t(language, 'events.holiday.item', {
        holiday: t(language, `events.holiday.${h.holiday}`),
        region: h.region,
        from: formatDay(language, h.from),
        to: formatDay(language, h.to),
      }),
    )
    .join('; ');
}

/** The notice about an activity in a school holiday, in a language. */
export function holidayNotice(language: Language, community: Community, event: EventRow, holidays: SchoolHoliday[]): string {
  return t(language, 'events.holiday.notice', {
    number: event.number,
    title: event.title,
    when: formatWhen(language, event.startsAt, community.timezone),
    holidays: holidayText(language, holidays),
  });
}

/**
 * Tells the community's managers, in their own chat where the bot knows one (else in the spaces
 * they are in, like other notices), that an activity falls in a school holiday. Once per start
 * time: moving it into another holiday tells them again. `except`: the manager who planned it in
 * chat and was told in the reply.
 */
export async function tellManagersOfHolidays(tx: Tx, community: Community, event: EventRow, now: Date, except?: string): Promise<number> {
  const holidays = holidaysOf(event, community.timezone);
  if (holidays.length === 0) return 0;
  const managers = await tx
    .select()
    .from(members)
    .where(and(eq(members.communityId, community.id), eq(members.role, 'manager'), except ? ne(members.id, except) : undefined))
    .orderBy(asc(members.createdAt));
  const rows: OutboxMessage[] = [];
  for (const manager of managers) {
    const text = holidayNotice(languageOf(manager, community), community, event, holidays);
    rows.push(...(await toMember(tx, community, manager, `event:${event.id}:holiday:${event.startsAt.getTime()}:${manager.id}`, now, text)));
  }
  await enqueue(tx, rows);
  return managers.length;
}
