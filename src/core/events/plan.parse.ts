import type { EventKind } from '../../db/schema/index.js';
import { fromLocal, localTime } from './time.js';

/**
 * Reads `plan …` as typed in a chat, forgivingly:
 *
 *   plan 12-03 19:30 Intervisie | Buurthuis | 20
 *   plan 12/3/2027 19.30-21.00 Webinar AVG | https://teams.example/l/abc
 *   plannen morgen om 19u Borrel | 12 plaatsen | Café De Zaak
 *
 * A date (day-month with an optional year, ISO, today/tomorrow, a weekday, or `12 maart`), a
 * start time (19:30, 19.30, 19u30, 19u, 7pm is not read), an optional end (19:30-21:00, or
 * `tot`/`to` 21:00), then the title. After `|`, in any order: a place, a link (online), a number
 * of places, a kind. Dates are read in the community's timezone; without a year the next such
 * date; without an end it lasts two hours.
 */

export const PLAN_DEFAULT_MINUTES = 120;
export const PLAN_TITLE_MAX = 200;
const LOCATION_MAX = 300;

export interface PlanDraft {
  kind: EventKind;
  title: string;
  startsAt: Date;
  endsAt: Date;
  location: string | null;
  onlineUrl: string | null;
  capacity: number | null;
}

export type PlanReading = { ok: true; draft: PlanDraft } | { ok: false; why: 'form' | 'date' | 'time' | 'title' };

const MONTHS: Record<string, number> = {
  jan: 1, januari: 1, january: 1, feb: 2, februari: 2, february: 2, mrt: 3, mar: 3, maart: 3, march: 3,
  apr: 4, april: 4, mei: 5, may: 5, jun: 6, juni: 6, june: 6, jul: 7, juli: 7, july: 7, aug: 8, augustus: 8, august: 8,
  sep: 9, sept: 9, september: 9, okt: 10, oct: 10, oktober: 10, october: 10, nov: 11, november: 11, dec: 12, december: 12,
};
/** Weekdays, 0 = Sunday as in Date#getUTCDay. */
const WEEKDAYS: Record<string, number> = {
  zo: 0, zondag: 0, sun: 0, sunday: 0, ma: 1, maandag: 1, mon: 1, monday: 1, di: 2, dinsdag: 2, tue: 2, tuesday: 2,
  wo: 3, woensdag: 3, wed: 3, wednesday: 3, do: 4, donderdag: 4, thu: 4, thursday: 4, vr: 5, vrijdag: 5, fri: 5, friday: 5,
  za: 6, zaterdag: 6, sat: 6, saturday: 6,
};
const RELATIVE: Record<string, number> = { today: 0, vandaag: 0, tomorrow: 1, morgen: 1, overmorgen: 2 };
/** Words that may stand between date and times: `op 12-03 om 19:30 tot 21:00`. */
const FILLER = new Set(['om', 'at', 'op', 'on', 'van', 'from', '-', '–', 'tot', 'to', 'until', 'till', 'tm', 't/m']);
const KINDS: [RegExp, EventKind][] = [
  [/^webinar|^online/i, 'webinar'],
  [/^intervis/i, 'intervision'],
  [/^(social|sociaal|uitje|borrel|outing|karten|karting|escape)/i, 'social'],
  [/^(meetup|meet-up|bijeenkomst|meeting)/i, 'meetup'],
];

type Day = { year: number; month: number; day: number };
type Clock = { hour: number; minute: number };

const TIME = /^(\d{1,2})(?:[:.hu](\d{2})?|uur)$|^(\d{1,2})[:.](\d{2})$/i;

function readTime(token: string): Clock | null | 'bad' {
  const m = TIME.exec(token);
  if (!m) return null;
  const hour = Number(m[1] ?? m[3]);
  const minute = Number(m[2] ?? m[4] ?? 0);
  return hour > 23 || minute > 59 ? 'bad' : { hour, minute };
}

/** `19:30-21:00` as two times. */
function readRange(token: string): [Clock, Clock] | null | 'bad' {
  const parts = token.split(/[-–]/);
  if (parts.length !== 2 || !parts[0] || !parts[1]) return null;
  const [a, b] = [readTime(parts[0]), readTime(parts[1])];
  if (a === null || b === null) return null;
  return a === 'bad' || b === 'bad' ? 'bad' : [a, b];
}

function validDay(year: number, month: number, day: number): Day | 'bad' {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day ? { year, month, day } : 'bad';
}

/** The day after `today` plus `n` days. */
function plusDays(today: Day, n: number): Day {
  const d = new Date(Date.UTC(today.year, today.month - 1, today.day + n));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** Day and month without a year: this year's, or next year's when this year's has passed. */
function nextDate(month: number, day: number, today: Day): Day | 'bad' {
  const thisYear = validDay(today.year, month, day);
  // 29 February: the next year that has one, within four years.
  if (thisYear === 'bad') {
    for (let y = today.year + 1; y <= today.year + 4; y++) {
      const leap = validDay(y, month, day);
      if (leap !== 'bad') return leap;
    }
    return 'bad';
  }
  const passed = month < today.month || (month === today.month && day < today.day);
  return passed ? validDay(today.year + 1, month, day) : thisYear;
}

/** Reads a date from `tokens` at `i`; returns it and how many tokens it took. */
function readDate(tokens: string[], i: number, today: Day): { day: Day | 'bad'; used: number } | null {
  const token = tokens[i]!.toLowerCase().replace(/,$/, '');
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(token);
  if (m) return { day: validDay(Number(m[1]), Number(m[2]), Number(m[3])), used: 1 };
  m = /^(\d{1,2})[-/.](\d{1,2})(?:[-/.](\d{2}|\d{4}))?$/.exec(token);
  if (m) {
    const [day, month] = [Number(m[1]), Number(m[2])];
    if (!m[3]) return { day: nextDate(month, day, today), used: 1 };
    const year = m[3].length === 2 ? 2000 + Number(m[3]) : Number(m[3]);
    return { day: validDay(year, month, day), used: 1 };
  }
  if (token in RELATIVE) return { day: plusDays(today, RELATIVE[token]!), used: 1 };
  if (token in WEEKDAYS) {
    const now = new Date(Date.UTC(today.year, today.month - 1, today.day)).getUTCDay();
    return { day: plusDays(today, (WEEKDAYS[token]! - now + 7) % 7), used: 1 };
  }
  m = /^(\d{1,2})$/.exec(token);
  const month = tokens[i + 1] ? MONTHS[tokens[i + 1]!.toLowerCase().replace(/[.,]$/, '')] : undefined;
  if (m && month) {
    const year = /^\d{4}$/.test(tokens[i + 2] ?? '') ? Number(tokens[i + 2]) : null;
    return year ? { day: validDay(year, month, Number(m[1])), used: 3 } : { day: nextDate(month, Number(m[1]), today), used: 2 };
  }
  return null;
}

function kindOf(text: string): EventKind | null {
  for (const word of text.toLowerCase().split(/\s+/)) {
    for (const [pattern, kind] of KINDS) if (pattern.test(word)) return kind;
  }
  return null;
}

export function parsePlan(args: string, timeZone: string, now: Date): PlanReading {
  const [head = '', ...rest] = args.split('|').map((part) => part.trim());
  const tokens = head.split(/\s+/).filter(Boolean);
  const local = localTime(now, timeZone);
  const today: Day = { year: local.year, month: local.month, day: local.day };
  let day: Day | null = null;
  const times: Clock[] = [];
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i]!;
    if (FILLER.has(token.toLowerCase())) {
      i++;
      continue;
    }
    // `12.03` is a date when a time follows, else a time (12:03).
    if (!day && /^\d{1,2}\.\d{1,2}(?:\.\d{2,4})?$/.test(token) && tokens.slice(i + 1).some((next) => readRange(next) || readTime(next))) {
      const date = readDate(tokens, i, today)!;
      if (date.day === 'bad') return { ok: false, why: 'date' };
      day = date.day;
      i++;
      continue;
    }
    const range = readRange(token);
    if (range === 'bad') return { ok: false, why: 'time' };
    if (range) {
      times.push(...range);
      i++;
      continue;
    }
    const time = readTime(token);
    if (time === 'bad') return { ok: false, why: 'time' };
    if (time) {
      times.push(time);
      i++;
      continue;
    }
    if (!day) {
      const date = readDate(tokens, i, today);
      if (date?.day === 'bad') return { ok: false, why: 'date' };
      if (date) {
        day = date.day;
        i += date.used;
        continue;
      }
    }
    break;
  }
  const title = tokens.slice(i).join(' ');
  if (!day && times.length === 0) return { ok: false, why: 'form' };
  if (!day) return { ok: false, why: 'date' };
  if (times.length === 0 || times.length > 2) return { ok: false, why: 'time' };
  if (!title || title.length > PLAN_TITLE_MAX) return { ok: false, why: 'title' };

  const startsAt = fromLocal({ ...day, ...times[0]! }, timeZone);
  let endsAt = new Date(startsAt.getTime() + PLAN_DEFAULT_MINUTES * 60_000);
  if (times[1]) {
    endsAt = fromLocal({ ...day, ...times[1] }, timeZone);
    // 22:00-01:00 ends the next day (19:30-19:30 is refused as ending when it starts).
    if (endsAt < startsAt) endsAt = fromLocal({ ...plusDays(day, 1), ...times[1] }, timeZone);
  }

  let location: string | null = null;
  let onlineUrl: string | null = null;
  let capacity: number | null = null;
  let kind: EventKind | null = null;
  for (const part of rest.filter(Boolean)) {
    const places = /^(?:(?:max(?:imaal|imum)?\.?|cap(?:acity)?|capaciteit)\s*)?(\d{1,6})(?:\s*(?:places|plaatsen|plekken|seats|spots|personen|pers\.?|deelnemers|people))?$/i.exec(part);
    if (places) {
      capacity = Number(places[1]);
      if (capacity < 1) return { ok: false, why: 'form' };
    } else if (/^https?:\/\/\S+$/i.test(part)) {
      onlineUrl = part;
    } else if (!kind && KINDS.some(([pattern]) => pattern.test(part)) && !/\s/.test(part)) {
      kind = kindOf(part);
    } else {
      location = location ? `${location}, ${part}` : part;
    }
  }
  if (location && location.length > LOCATION_MAX) return { ok: false, why: 'form' };
  return {
    ok: true,
    draft: { kind: kind ?? kindOf(title) ?? (onlineUrl && !location ? 'webinar' : 'meetup'), title, startsAt, endsAt, location, onlineUrl, capacity },
  };
}
