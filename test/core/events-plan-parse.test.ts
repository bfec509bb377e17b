import { describe, expect, it } from 'vitest';
import { parsePlan } from '../../src/core/events/plan.parse.js';
import { fromLocal } from '../../src/core/events/time.js';

const AMS = 'Europe/Amsterdam';
const NOW = new Date('2026-03-02T09:00:00Z'); // Monday 2 March 2026

function read(text: string, now = NOW) {
  const r = parsePlan(text, AMS, now);
  if (!r.ok) throw new Error(`not read: ${text} (${r.why})`);
  return { ...r.draft, startsAt: r.draft.startsAt.toISOString(), endsAt: r.draft.endsAt.toISOString() };
}
const why = (text: string) => {
  const r = parsePlan(text, AMS, NOW);
  return r.ok ? 'ok' : r.why;
};

describe('reading plan … from a chat', () => {
  it('reads the example: date, time, title, place, places — in the community timezone, two hours long', () => {
    expect(read('12-03 19:30 Intervisie | Buurthuis | 20')).toEqual({
      kind: 'intervision',
      title: 'Intervisie',
      startsAt: '2026-03-12T18:30:00.000Z',
      endsAt: '2026-03-12T20:30:00.000Z',
      location: 'Buurthuis',
      onlineUrl: null,
      capacity: 20,
    });
  });

  it('takes the date and time in many spellings', () => {
    const start = (text: string) => read(text).startsAt;
    for (const text of ['12-03 19:30 X', '12/3 19.30 X', '12.03 19u30 X', '2026-03-12 19:30 X', '12-03-2026 om 19:30 X', '12/03/26 19:30 X', '12 maart 19:30 X', '12 March 2026 at 19:30 X', 'op 12-3 om 19.30 X']) {
      expect(start(text), text).toBe('2026-03-12T18:30:00.000Z');
    }
    expect(start('12-03 19u X')).toBe('2026-03-12T18:00:00.000Z');
    expect(start('morgen 9:00 X')).toBe('2026-03-03T08:00:00.000Z');
    expect(start('tomorrow 9:00 X')).toBe('2026-03-03T08:00:00.000Z');
    expect(start('donderdag 9:00 X')).toBe('2026-03-05T08:00:00.000Z');
    expect(start('fri 9:00 X')).toBe('2026-03-06T08:00:00.000Z');
  });

  it('reads an end time, also past midnight', () => {
    expect(read('12-03 19:30-21:00 X')).toMatchObject({ startsAt: '2026-03-12T18:30:00.000Z', endsAt: '2026-03-12T20:00:00.000Z' });
    expect(read('12-03 19:30 tot 21:00 X')).toMatchObject({ endsAt: '2026-03-12T20:00:00.000Z' });
    expect(read('12-03 22:00 to 01:00 X')).toMatchObject({ endsAt: '2026-03-13T00:00:00.000Z' });
  });

  it('takes a date without a year as the next one, and summer time as the day has it', () => {
    expect(read('15-01 10:00 X').startsAt).toBe('2027-01-15T09:00:00.000Z');
    expect(read('02-03 10:00 X').startsAt).toBe('2026-03-02T09:00:00.000Z'); // today
    expect(read('10-04 10:00 X').startsAt).toBe('2026-04-10T08:00:00.000Z'); // CEST
    expect(fromLocal({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 }, AMS).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(fromLocal({ year: 2026, month: 10, day: 25, hour: 12, minute: 0 }, AMS).toISOString()).toBe('2026-10-25T11:00:00.000Z');
  });

  it('reads the parts after | in any order: a link, places, a kind, a place', () => {
    expect(read('12-03 19:30 AVG en privacy | https://teams.example/l/abc | max 40')).toMatchObject({
      kind: 'webinar',
      location: null,
      onlineUrl: 'https://teams.example/l/abc',
      capacity: 40,
    });
    expect(read('12-03 19:30 Karten | 12 plaatsen | Kartbaan Utrecht')).toMatchObject({ kind: 'social', location: 'Kartbaan Utrecht', capacity: 12 });
    expect(read('12-03 19:30 Kennismaken | webinar')).toMatchObject({ kind: 'webinar', location: null });
    expect(read('12-03 19:30 Kennismaken')).toMatchObject({ kind: 'meetup', location: null, capacity: null });
  });

  it('says what it could not read', () => {
    expect(why('')).toBe('form');
    expect(why('Intervisie op dinsdag')).toBe('form');
    expect(why('31-02 19:30 X')).toBe('date');
    expect(why('12-13 19:30 X')).toBe('date');
    expect(why('12-03 25:00 X')).toBe('time');
    expect(why('12-03 Intervisie')).toBe('time');
    expect(why('19:30 Intervisie')).toBe('date');
    expect(why('12-03 19:30')).toBe('title');
    expect(why(`12-03 19:30 ${'x'.repeat(201)}`)).toBe('title');
    expect(why('12-03 19:30 X | 0')).toBe('form');
  });
});
