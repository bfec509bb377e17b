/** Dates in a community's timezone, with nothing but Intl (no timezone library needed). */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall-clock time in `timeZone` at `date`. */
export function localTime(date: Date, timeZone: string): LocalTime {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(date)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

/** Minutes `timeZone` is ahead of UTC at `date` (Amsterdam: 60 in winter, 120 in summer). */
export function offsetMinutes(date: Date, timeZone: string): number {
  const l = localTime(date, timeZone);
  const asUtc = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second);
  return Math.round((asUtc - Math.floor(date.getTime() / 1000) * 1000) / 60_000);
}

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

/** `+01:00`, or `+0100` when `colon` is false (iCalendar's UTC-OFFSET). */
export function formatOffset(minutes: number, colon = true): string {
  const sign = minutes < 0 ? '-' : '+';
  return `${sign}${pad(Math.floor(Math.abs(minutes) / 60))}${colon ? ':' : ''}${pad(Math.abs(minutes) % 60)}`;
}

/** ISO 8601 with the offset of `timeZone`: `2026-03-10T19:30:00+01:00`. */
export function isoInZone(date: Date, timeZone: string): string {
  const l = localTime(date, timeZone);
  return `${l.year}-${pad(l.month)}-${pad(l.day)}T${pad(l.hour)}:${pad(l.minute)}:${pad(l.second)}${formatOffset(offsetMinutes(date, timeZone))}`;
}

/** The local day in `timeZone`, YYYY-MM-DD. */
export function localDay(date: Date, timeZone: string): string {
  const l = localTime(date, timeZone);
  return `${l.year}-${pad(l.month)}-${pad(l.day)}`;
}

/** True when Intl knows the timezone. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * The instant a wall-clock time in `timeZone` stands for: 12 March 19:30 in Amsterdam is
 * 18:30Z. Two passes, so a time near a daylight-saving change gets that day's own offset. A time
 * the clock skips (02:30 on the spring change) comes out an hour later, as a clock would show it.
 */
export function fromLocal(l: Omit<LocalTime, 'second'> & { second?: number }, timeZone: string): Date {
  const asUtc = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second ?? 0);
  let guess = new Date(asUtc - offsetMinutes(new Date(asUtc), timeZone) * 60_000);
  guess = new Date(asUtc - offsetMinutes(guess, timeZone) * 60_000);
  return guess;
}
