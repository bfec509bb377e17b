import { describe, expect, it } from 'vitest';
import { buildCalendar, fold } from '../../src/core/events/ics.js';
import type { EventRow } from '../../src/db/schema/index.js';

/**
 * A small, strict RFC 5545 reader: it refuses what calendar apps may choke on (bare LF, lines
 * over 75 octets, unbalanced components, bad escapes) and resolves TZID times through the
 * file's own VTIMEZONE, so a test can check the instant a calendar app would show.
 */
interface Property {
  name: string;
  params: Record<string, string>;
  value: string;
}
interface Component {
  name: string;
  properties: Property[];
  children: Component[];
}

function parse(text: string): Component {
  expect(text.endsWith('\r\n'), 'ends with CRLF').toBe(true);
  const physical = text.slice(0, -2).split('\r\n');
  for (const line of physical) {
    expect(line.includes('\n') || line.includes('\r'), `bare line break in ${JSON.stringify(line)}`).toBe(false);
    expect(Buffer.byteLength(line, 'utf8'), `over 75 octets: ${line}`).toBeLessThanOrEqual(75);
  }
  const lines: string[] = [];
  for (const line of physical) {
    if (line.startsWith(' ') || line.startsWith('\t')) lines[lines.length - 1] += line.slice(1);
    else lines.push(line);
  }
  const stack: Component[] = [{ name: 'ROOT', properties: [], children: [] }];
  for (const line of lines) {
    const match = /^([A-Za-z0-9-]+)((?:;[A-Za-z0-9-]+=(?:"[^"]*"|[^";:,]*))*):(.*)$/.exec(line);
    expect(match, `not a content line: ${line}`).not.toBeNull();
    const [, name, rawParams, value] = match!;
    const params = Object.fromEntries([...rawParams!.matchAll(/;([A-Za-z0-9-]+)=("[^"]*"|[^";:,]*)/g)].map((m) => [m[1]!, m[2]!]));
    if (name === 'BEGIN') {
      const child = { name: value!, properties: [], children: [] };
      stack.at(-1)!.children.push(child);
      stack.push(child);
    } else if (name === 'END') {
      expect(stack.pop()!.name, 'END matches BEGIN').toBe(value);
    } else {
      stack.at(-1)!.properties.push({ name: name!, params, value: value! });
    }
  }
  expect(stack).toHaveLength(1);
  expect(stack[0]!.children).toHaveLength(1);
  return stack[0]!.children[0]!;
}

const one = (c: Component, name: string) => {
  const found = c.properties.filter((p) => p.name === name);
  expect(found, `exactly one ${name} in ${c.name}`).toHaveLength(1);
  return found[0]!;
};

/** TEXT unescaping; any other backslash sequence is an error. */
function unescape(value: string): string {
  return value.replace(/\\(.)/g, (_, c: string) => {
    if (c === 'n' || c === 'N') return '\n';
    if (c === '\\' || c === ';' || c === ',') return c;
    throw new Error(`bad escape \\${c}`);
  });
}

/** The instant a local DATE-TIME with TZID stands for, by the VTIMEZONE's onsets. */
function resolve(calendar: Component, property: Property): Date {
  const zone = calendar.children.find((c) => c.name === 'VTIMEZONE' && one(c, 'TZID').value === property.params.TZID);
  expect(zone, `a VTIMEZONE for ${property.params.TZID}`).toBeDefined();
  const local = property.value;
  expect(local).toMatch(/^\d{8}T\d{6}$/);
  const onsets = zone!.children
    .map((c) => ({ start: one(c, 'DTSTART').value, to: one(c, 'TZOFFSETTO').value }))
    .filter((o) => o.start <= local)
    .sort((a, b) => a.start.localeCompare(b.start));
  expect(onsets.length, `an onset before ${local}`).toBeGreaterThan(0);
  const offset = onsets.at(-1)!.to;
  const minutes = (offset.startsWith('-') ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(3, 5)));
  const asUtc = Date.UTC(+local.slice(0, 4), +local.slice(4, 6) - 1, +local.slice(6, 8), +local.slice(9, 11), +local.slice(11, 13), +local.slice(13, 15));
  return new Date(asUtc - minutes * 60_000);
}

function event(fields: Partial<EventRow>): EventRow {
  const now = new Date('2026-03-01T10:00:00Z');
  return {
    id: crypto.randomUUID(),
    communityId: crypto.randomUUID(),
    number: 1,
    kind: 'meetup',
    title: 'Meetup',
    description: '',
    startsAt: new Date('2026-03-10T18:30:00Z'),
    endsAt: new Date('2026-03-10T20:00:00Z'),
    location: null,
    onlineUrl: null,
    hostOrganisationId: null,
    capacity: null,
    signupDeadline: null,
    reminderMinutes: [1440, 60],
    cancelledAt: null,
    createdAt: now,
    updatedAt: now,
    ...fields,
  };
}

const now = new Date('2026-03-02T09:00:00Z');

describe('calendar files (RFC 5545)', () => {
  const winter = event({ title: 'Escape room; daarna borrel, met z\'n allen \\ o/', description: 'Eerste regel\nTweede regel', location: 'Oudegracht 1, Utrecht' });
  const summer = event({
    kind: 'webinar',
    title: 'Jaarbijeenkomst in ’s-Hertogenbosch — éénmalig 🎉 '.repeat(4).trim(),
    startsAt: new Date('2026-07-01T07:00:00Z'),
    endsAt: new Date('2026-07-01T09:00:00Z'),
    onlineUrl: 'https://teams.example.org/l/meetup-join/19%3ameeting_abc',
  });
  const january = event({ startsAt: new Date('2027-01-12T08:00:00Z'), endsAt: new Date('2027-01-12T09:00:00Z'), cancelledAt: now });
  const text = buildCalendar({ name: 'Wijkzorg, Utrecht', timeZone: 'Europe/Amsterdam', events: [winter, summer, january], now, host: 'samen' });
  const calendar = parse(text);
  const vevents = calendar.children.filter((c) => c.name === 'VEVENT');

  it('is one VCALENDAR with VERSION 2.0, a PRODID and the community as its name', () => {
    expect(calendar.name).toBe('VCALENDAR');
    expect(one(calendar, 'VERSION').value).toBe('2.0');
    expect(one(calendar, 'PRODID').value).not.toBe('');
    expect(unescape(one(calendar, 'X-WR-CALNAME').value)).toBe('Wijkzorg, Utrecht');
  });

  it('gives every event a unique UID, a UTC DTSTAMP, and start and end in the community timezone', () => {
    expect(vevents).toHaveLength(3);
    expect(new Set(vevents.map((v) => one(v, 'UID').value)).size).toBe(3);
    for (const v of vevents) {
      expect(one(v, 'UID').value).toMatch(/^[0-9a-f-]{36}@samen$/);
      expect(one(v, 'DTSTAMP').value).toBe('20260302T090000Z');
      expect(one(v, 'DTSTART').params.TZID).toBe('Europe/Amsterdam');
    }
  });

  it('resolves winter, summer and next-January times through its VTIMEZONE to the right instants', () => {
    for (const [v, e] of [[vevents[0]!, winter], [vevents[1]!, summer], [vevents[2]!, january]] as const) {
      expect(resolve(calendar, one(v, 'DTSTART')).toISOString()).toBe(e.startsAt.toISOString());
      expect(resolve(calendar, one(v, 'DTEND')).toISOString()).toBe(e.endsAt.toISOString());
    }
    expect(one(vevents[0]!, 'DTSTART').value).toBe('20260310T193000');
    expect(one(vevents[1]!, 'DTSTART').value).toBe('20260701T090000');
  });

  it('escapes commas, semicolons, backslashes and newlines so the text comes back unchanged', () => {
    expect(unescape(one(vevents[0]!, 'SUMMARY').value)).toBe(winter.title);
    expect(unescape(one(vevents[0]!, 'DESCRIPTION').value)).toBe('Eerste regel\nTweede regel');
    expect(unescape(one(vevents[0]!, 'LOCATION').value)).toBe('Oudegracht 1, Utrecht');
  });

  it('folds long lines at 75 octets without splitting a character', () => {
    expect(text).toMatch(/\r\n [^\r\n]/);
    expect(unescape(one(vevents[1]!, 'SUMMARY').value)).toBe(summer.title);
    expect(one(vevents[1]!, 'URL').value).toBe(summer.onlineUrl);
    // A fold never cuts a multi-byte character in two: every physical line is valid UTF-8.
    for (const line of fold('é'.repeat(100)).split('\r\n')) expect(Buffer.from(line, 'utf8').toString('utf8')).toBe(line);
  });

  it('marks a cancelled event CANCELLED so subscribed calendars drop it', () => {
    expect(vevents.map((v) => one(v, 'STATUS').value)).toEqual(['CONFIRMED', 'CONFIRMED', 'CANCELLED']);
  });

  it('works for a timezone with other rules, and for one without daylight saving', () => {
    const ny = buildCalendar({ name: 'NY', timeZone: 'America/New_York', events: [winter, summer], now, host: 'samen' });
    const nyCal = parse(ny);
    const nyEvents = nyCal.children.filter((c) => c.name === 'VEVENT');
    expect(resolve(nyCal, one(nyEvents[0]!, 'DTSTART')).toISOString()).toBe(winter.startsAt.toISOString());
    expect(resolve(nyCal, one(nyEvents[1]!, 'DTSTART')).toISOString()).toBe(summer.startsAt.toISOString());
    // 10 March 2026 is after the US change (8 March) but before Europe's: 14:30 EDT.
    expect(one(nyEvents[0]!, 'DTSTART').value).toBe('20260310T143000');

    const tokyo = parse(buildCalendar({ name: 'Tokyo', timeZone: 'Asia/Tokyo', events: [winter], now, host: 'samen' }));
    const zone = tokyo.children.find((c) => c.name === 'VTIMEZONE')!;
    expect(zone.children.map((c) => c.name)).toEqual(['STANDARD']);
    expect(resolve(tokyo, one(tokyo.children.find((c) => c.name === 'VEVENT')!, 'DTSTART')).toISOString()).toBe(winter.startsAt.toISOString());
  });

  it('refuses a file with a bare LF or an over-long line (the reader itself is strict)', () => {
    expect(() => parse('BEGIN:VCALENDAR\nEND:VCALENDAR\r\n')).toThrow();
    expect(() => parse(`BEGIN:VCALENDAR\r\nX-LONG:${'a'.repeat(80)}\r\nEND:VCALENDAR\r\n`)).toThrow();
  });
});
