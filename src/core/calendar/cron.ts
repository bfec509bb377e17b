import { localTime, offsetMinutes } from '../events/time.js';

/**
 * A five-field cron expression (minute hour day-of-month month day-of-week), evaluated in a
 * timezone's wall-clock time. Nothing but Intl: no timezone database of our own to keep current.
 * See docs/calendar.md for the syntax and what happens around daylight saving time.
 */
export interface Cron {
  source: string;
  minutes: Set<number>;
  hours: Set<number>;
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
  /** True when day-of-month was `*`: then only day-of-week restricts the day, and vice versa. */
  anyDay: boolean;
  anyWeekday: boolean;
}

/** A cron expression that cannot be read; `message` says why, in words an API client can show. */
export class CronError extends Error {
  override name = 'CronError';
}

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: string[];
  /** The first name's value (months count from 1). */
  nameBase?: number;
}

const FIELDS: FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTH_NAMES, nameBase: 1 },
  // 7 is Sunday too, as in most crons.
  { name: 'day of week', min: 0, max: 7, names: DAY_NAMES, nameBase: 0 },
];

function value(text: string, spec: FieldSpec): number {
  const named = spec.names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) return named + spec.nameBase!;
  if (!/^\d+$/.test(text)) throw new CronError(`"${text}" is not a valid ${spec.name}`);
  const n = Number(text);
  if (n < spec.min || n > spec.max) throw new CronError(`${spec.name} ${n} is outside ${spec.min}–${spec.max}`);
  return n;
}

function field(text: string, spec: FieldSpec): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const [range = '', stepText, extra] = part.split('/');
    if (extra !== undefined || range === '') throw new CronError(`"${part}" is not a valid ${spec.name}`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) < 1) throw new CronError(`the step in "${part}" must be a whole number from 1`);
      step = Number(stepText);
    }
    let from: number;
    let to: number;
    if (range === '*') [from, to] = [spec.min, spec.max];
    else if (range.includes('-')) {
      const [a = '', b = '', more] = range.split('-');
      if (more !== undefined) throw new CronError(`"${part}" is not a valid ${spec.name}`);
      [from, to] = [value(a, spec), value(b, spec)];
      if (from > to) throw new CronError(`the range "${range}" runs backwards`);
    } else {
      from = value(range, spec);
      // "5/15" means 5, 20, 35, 50: from 5 to the end in steps.
      to = stepText === undefined ? from : spec.max;
    }
    for (let n = from; n <= to; n += step) out.add(n);
  }
  return out;
}

/** Reads a cron expression; throws CronError saying what is wrong. */
export function parseCron(expression: string): Cron {
  const source = expression.trim().replace(/\s+/g, ' ');
  const expanded = MACROS[source.toLowerCase()] ?? source;
  const parts = expanded.split(' ');
  if (parts.length !== 5) throw new CronError('A cron expression has five fields: minute hour day-of-month month day-of-week');
  const [minutes, hours, days, months, weekdays] = parts.map((p, i) => field(p, FIELDS[i]!)) as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  if (weekdays.delete(7)) weekdays.add(0);
  return { source, minutes, hours, days, months, weekdays, anyDay: parts[2] === '*', anyWeekday: parts[4] === '*' };
}

/** Whether the cron runs on a calendar date (as in Vixie cron: both day fields set means either). */
function runsOn(cron: Cron, year: number, month: number, day: number): boolean {
  if (!cron.months.has(month)) return false;
  const inMonth = day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (!inMonth) return false;
  const dom = cron.days.has(day);
  const dow = cron.weekdays.has(new Date(Date.UTC(year, month - 1, day)).getUTCDay());
  if (cron.anyDay && cron.anyWeekday) return true;
  if (cron.anyDay) return dow;
  if (cron.anyWeekday) return dom;
  return dom || dow;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * The instant a wall-clock time in `timeZone` stands for. A time that happens twice (the hour
 * clocks go back) is its first instant; a time that does not exist (the hour clocks skip) is
 * moved forward by the gap: 02:30 on the spring change in Amsterdam is 03:30 summer time.
 */
export function zonedInstant(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): Date {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  // The offsets on either side of any change near this time (zones change at most once a day).
  const before = offsetMinutes(new Date(wall - 14 * HOUR), timeZone);
  const after = offsetMinutes(new Date(wall + 14 * HOUR), timeZone);
  const early = wall - before * 60_000;
  if (before === after) return new Date(early);
  const matches = (t: number) => {
    const l = localTime(new Date(t), timeZone);
    return l.year === year && l.month === month && l.day === day && l.hour === hour && l.minute === minute;
  };
  const late = wall - after * 60_000;
  const candidates = [early, late].filter(matches).sort((a, b) => a - b);
  // No candidate: the time falls in the gap; the offset before the change moves it forward.
  return new Date(candidates[0] ?? early);
}

/** How far ahead `next` looks: long enough for 29 February (eight years between 2096 and 2104). */
const SEARCH_DAYS = 8 * 366 + 2;

/** The first time the cron runs strictly after `after`, or null if it never does (30 February). */
export function nextRun(cron: Cron, timeZone: string, after: Date): Date | null {
  // Start a day early: near a change, a local time on the previous day can map past `after`.
  const start = localTime(new Date(after.getTime() - DAY), timeZone);
  const hours = [...cron.hours].sort((a, b) => a - b);
  const minutes = [...cron.minutes].sort((a, b) => a - b);
  for (let i = 0; i < SEARCH_DAYS; i++) {
    const date = new Date(Date.UTC(start.year, start.month - 1, start.day + i));
    const [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
    if (!runsOn(cron, y, m, d)) continue;
    // Most days have one offset throughout: their times map straight, in order.
    const midnight = Date.UTC(y, m - 1, d);
    const offset = offsetMinutes(new Date(midnight - 14 * HOUR), timeZone);
    const steady = offset === offsetMinutes(new Date(midnight + DAY + 14 * HOUR), timeZone);
    let best: number | null = null;
    for (const hour of hours) {
      for (const minute of minutes) {
        const t = steady ? midnight + (hour * 60 + minute - offset) * 60_000 : zonedInstant(y, m, d, hour, minute, timeZone).getTime();
        if (t > after.getTime() && (best === null || t < best)) best = t;
        if (steady && best !== null) return new Date(best);
      }
    }
    if (best !== null) return new Date(best);
  }
  return null;
}

/** The runs in [from, to), at most `max` of them. */
export function runsBetween(cron: Cron, timeZone: string, from: Date, to: Date, max: number): Date[] {
  const out: Date[] = [];
  for (let t = nextRun(cron, timeZone, new Date(from.getTime() - 1)); t && t < to && out.length < max; t = nextRun(cron, timeZone, t)) out.push(t);
  return out;
}
