import type { EventRow } from '../../db/schema/index.js';
import { formatOffset, localTime, offsetMinutes, type LocalTime } from './time.js';

/**
 * iCalendar (RFC 5545) files for one event or a community's feed, which Outlook and Google
 * Calendar can subscribe to. Times carry the community's TZID with a VTIMEZONE built from the
 * platform's own timezone data, so any IANA zone works, not only Europe/Amsterdam.
 */

const CRLF = '\r\n';
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** TEXT value escaping (RFC 5545 §3.3.11): backslash, semicolon, comma, newline. */
export function escapeText(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/**
 * Folds a content line at 75 octets (RFC 5545 §3.1): continuation lines start with a space. It
 * counts UTF-8 bytes and never splits a character, so "Jaarbijeenkomst in 's-Hertogenbosch — …"
 * survives intact.
 */
export function fold(line: string): string {
  const out: string[] = [];
  let current = '';
  let bytes = 0;
  let limit = 75;
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    if (bytes + size > limit) {
      out.push(current);
      current = ' ';
      bytes = 1;
      limit = 75;
    }
    current += char;
    bytes += size;
  }
  out.push(current);
  return out.join(CRLF);
}

const basic = (l: LocalTime) => `${l.year}${pad(l.month)}${pad(l.day)}T${pad(l.hour)}${pad(l.minute)}${pad(l.second)}`;

/** A UTC DATE-TIME: 20260310T183000Z. */
export const utcStamp = (date: Date) =>
  `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}T${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`;

/** A local DATE-TIME in `timeZone`, for a property with TZID. */
export const localStamp = (date: Date, timeZone: string) => basic(localTime(date, timeZone));

/** The instants `timeZone` changed its offset between `from` and `to`, to the minute. */
function transitions(timeZone: string, from: Date, to: Date): { at: Date; from: number; to: number }[] {
  const found: { at: Date; from: number; to: number }[] = [];
  const DAY = 86_400_000;
  let previous = offsetMinutes(from, timeZone);
  for (let t = from.getTime() + DAY; t <= to.getTime(); t += DAY) {
    const offset = offsetMinutes(new Date(t), timeZone);
    if (offset === previous) continue;
    // Somewhere in the last day: narrow it down to the minute.
    let lo = t - DAY;
    let hi = t;
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
      if (offsetMinutes(new Date(mid), timeZone) === previous) lo = mid;
      else hi = mid;
    }
    found.push({ at: new Date(hi), from: previous, to: offset });
    previous = offset;
  }
  return found;
}

/** A VTIMEZONE covering the years of `dates` (and the year before, so January is covered too). */
export function vtimezone(timeZone: string, dates: Date[]): string[] {
  const years = dates.length ? dates.map((d) => d.getUTCFullYear()) : [new Date().getUTCFullYear()];
  const from = new Date(Date.UTC(Math.min(...years) - 1, 0, 1));
  const to = new Date(Date.UTC(Math.max(...years) + 1, 0, 1));
  const lines = ['BEGIN:VTIMEZONE', `TZID:${timeZone}`];
  const changes = transitions(timeZone, from, to);
  if (changes.length === 0) {
    const offset = formatOffset(offsetMinutes(from, timeZone), false);
    lines.push('BEGIN:STANDARD', 'DTSTART:19700101T000000', `TZOFFSETFROM:${offset}`, `TZOFFSETTO:${offset}`, 'END:STANDARD');
  }
  for (const change of changes) {
    const kind = change.to > change.from ? 'DAYLIGHT' : 'STANDARD';
    // DTSTART is the local time of the onset in the offset in force before it (RFC 5545 §3.6.5).
    const onset = new Date(change.at.getTime() + change.from * 60_000);
    lines.push(
      `BEGIN:${kind}`,
      `DTSTART:${utcStamp(onset).slice(0, -1)}`,
      `TZOFFSETFROM:${formatOffset(change.from, false)}`,
      `TZOFFSETTO:${formatOffset(change.to, false)}`,
      `END:${kind}`,
    );
  }
  lines.push('END:VTIMEZONE');
  return lines;
}

export interface CalendarInput {
  name: string;
  timeZone: string;
  events: EventRow[];
  now: Date;
  /** Names the host in UIDs: `<event id>@<host>`. */
  host: string;
  /** Host organisation names by id, for the description. */
  hosts?: Map<string, string>;
}

/** A whole VCALENDAR, CRLF line ends, folded. */
export function buildCalendar({ name, timeZone, events, now, host, hosts = new Map() }: CalendarInput): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Samen//Activities//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(name)}`,
    `X-WR-TIMEZONE:${timeZone}`,
    ...vtimezone(timeZone, events.flatMap((e) => [e.startsAt, e.endsAt])),
  ];
  for (const event of events) {
    const description = [
      event.description,
      event.hostOrganisationId && hosts.get(event.hostOrganisationId) ? `Host: ${hosts.get(event.hostOrganisationId)}` : '',
      event.onlineUrl ?? '',
    ].filter(Boolean).join('\n\n');
    lines.push(
      'BEGIN:VEVENT',
      `UID:${event.id}@${host}`,
      `DTSTAMP:${utcStamp(now)}`,
      `LAST-MODIFIED:${utcStamp(event.updatedAt)}`,
      `DTSTART;TZID=${timeZone}:${localStamp(event.startsAt, timeZone)}`,
      `DTEND;TZID=${timeZone}:${localStamp(event.endsAt, timeZone)}`,
      `SUMMARY:${escapeText(event.title)}`,
      ...(description ? [`DESCRIPTION:${escapeText(description)}`] : []),
      ...(event.location || event.onlineUrl ? [`LOCATION:${escapeText(event.location ?? event.onlineUrl!)}`] : []),
      ...(event.onlineUrl ? [`URL:${event.onlineUrl}`] : []),
      `CATEGORIES:${event.kind.toUpperCase()}`,
      `STATUS:${event.cancelledAt ? 'CANCELLED' : 'CONFIRMED'}`,
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(fold).join(CRLF) + CRLF;
}
