import { describe, expect, it } from 'vitest';
import { CronError, nextRun, parseCron, runsBetween, zonedInstant } from '../../src/core/calendar/cron.js';

const AMS = 'Europe/Amsterdam';
const runs = (expression: string, from: string, to: string, timeZone = AMS, max = 100) =>
  runsBetween(parseCron(expression), timeZone, new Date(from), new Date(to), max).map((d) => d.toISOString());
const next = (expression: string, after: string, timeZone = AMS) => nextRun(parseCron(expression), timeZone, new Date(after))?.toISOString() ?? null;

describe('cron expressions', () => {
  it('reads numbers, lists, ranges, steps, names and macros', () => {
    const cron = parseCron('*/15 9-17/4 1,15 jan-MAR mon-fri');
    expect([...cron.minutes]).toEqual([0, 15, 30, 45]);
    expect([...cron.hours]).toEqual([9, 13, 17]);
    expect([...cron.days]).toEqual([1, 15]);
    expect([...cron.months]).toEqual([1, 2, 3]);
    expect([...cron.weekdays]).toEqual([1, 2, 3, 4, 5]);
    expect([...parseCron('5/20 * * * *').minutes]).toEqual([5, 25, 45]);
    expect([...parseCron('0 0 * * 7').weekdays]).toEqual([0]);
    expect(parseCron('@weekly')).toMatchObject({ minutes: new Set([0]), hours: new Set([0]), weekdays: new Set([0]) });
    expect(parseCron('  0   9 * *   1 ').source).toBe('0 9 * * 1');
  });

  it.each([
    ['0 9 * *', /five fields/],
    ['0 9 * * * *', /five fields/],
    ['60 9 * * *', /minute 60 is outside 0–59/],
    ['0 24 * * *', /hour 24/],
    ['0 9 0 * *', /day of month 0/],
    ['0 9 * 13 *', /month 13/],
    ['0 9 * * 8', /day of week 8/],
    ['0 9 * * maandag', /not a valid day of week/],
    ['0 17-9 * * *', /backwards/],
    ['*/0 * * * *', /step/],
    ['0 9 1,,2 * *', /not a valid day of month/],
    ['0 9 * * 1-2-3', /not a valid day of week/],
    ['@sometimes', /five fields/],
  ])('refuses %s and says why', (expression, reason) => {
    expect(() => parseCron(expression)).toThrow(CronError);
    expect(() => parseCron(expression)).toThrow(reason);
  });

  it('runs at the wall-clock time of the timezone', () => {
    // 09:00 in Amsterdam is 08:00 UTC in winter; in New York 14:00 UTC.
    expect(next('0 9 * * *', '2026-01-05T10:00:00Z')).toBe('2026-01-06T08:00:00.000Z');
    expect(next('0 9 * * *', '2026-01-05T10:00:00Z', 'America/New_York')).toBe('2026-01-05T14:00:00.000Z');
    expect(next('0 9 * * *', '2026-01-05T10:00:00Z', 'UTC')).toBe('2026-01-06T09:00:00.000Z');
  });

  it('is strictly after the given time', () => {
    expect(next('0 9 * * *', '2026-01-06T08:00:00Z')).toBe('2026-01-07T08:00:00.000Z');
    expect(next('0 9 * * *', '2026-01-06T07:59:59Z')).toBe('2026-01-06T08:00:00.000Z');
  });

  it('runs when either day field matches if both are set, as Vixie cron does', () => {
    // The 1st of the month or any Monday, at noon; March 2026 starts on a Sunday.
    expect(runs('0 12 1 * mon', '2026-03-01T00:00:00Z', '2026-03-17T00:00:00Z')).toEqual([
      '2026-03-01T11:00:00.000Z',
      '2026-03-02T11:00:00.000Z',
      '2026-03-09T11:00:00.000Z',
      '2026-03-16T11:00:00.000Z',
    ]);
  });

  it('reads the examples of docs/calendar.md as they say', () => {
    // From Monday 2 March 2026, 00:00 in Amsterdam.
    const from = '2026-03-01T23:00:00Z';
    expect(next('30 8 * * mon-fri', from)).toBe('2026-03-02T07:30:00.000Z');
    expect(next('0 17 * * 2,4', from)).toBe('2026-03-03T16:00:00.000Z');
    expect(next('0 9 1-7 * *', '2026-03-07T09:00:00Z')).toBe('2026-04-01T07:00:00.000Z');
    expect(next('0 10 * 9-12 3', from)).toBe('2026-09-02T08:00:00.000Z');
    expect(runs('0 */3 * * *', from, '2026-03-02T08:00:00Z')).toEqual(['2026-03-01T23:00:00.000Z', '2026-03-02T02:00:00.000Z', '2026-03-02T05:00:00.000Z']);
    expect(next('0 16 * * fri', from)).toBe('2026-03-06T15:00:00.000Z');
  });

  it('finds 29 February years ahead, and nothing for 30 February', () => {
    expect(next('0 0 29 2 *', '2026-03-01T00:00:00Z')).toBe('2028-02-28T23:00:00.000Z');
    expect(next('0 0 30 2 *', '2026-03-01T00:00:00Z')).toBeNull();
  });
});

describe('cron across daylight saving time in Europe/Amsterdam', () => {
  // 2026: clocks go forward on 29 March at 02:00 (to 03:00), back on 25 October at 03:00 (to 02:00).

  it('keeps a weekly Monday 09:00 at 09:00 local time on both sides of each change', () => {
    expect(runs('0 9 * * 1', '2026-03-20T00:00:00Z', '2026-04-07T00:00:00Z')).toEqual([
      '2026-03-23T08:00:00.000Z', // 09:00 CET
      '2026-03-30T07:00:00.000Z', // 09:00 CEST
      '2026-04-06T07:00:00.000Z',
    ]);
    expect(runs('0 9 * * 1', '2026-10-18T00:00:00Z', '2026-11-03T00:00:00Z')).toEqual([
      '2026-10-19T07:00:00.000Z', // 09:00 CEST
      '2026-10-26T08:00:00.000Z', // 09:00 CET
      '2026-11-02T08:00:00.000Z',
    ]);
  });

  it('moves a time the spring change skips forward by the gap, and runs it once', () => {
    // 02:30 does not exist on 29 March: it runs at 03:30 summer time.
    expect(runs('30 2 * * *', '2026-03-28T00:00:00Z', '2026-03-31T00:00:00Z')).toEqual([
      '2026-03-28T01:30:00.000Z',
      '2026-03-29T01:30:00.000Z',
      '2026-03-30T00:30:00.000Z',
    ]);
    expect(zonedInstant(2026, 3, 29, 2, 30, AMS).toISOString()).toBe('2026-03-29T01:30:00.000Z');
  });

  it('runs a time the autumn change repeats once, at its first (summer-time) instant', () => {
    expect(runs('30 2 * * *', '2026-10-24T00:00:00Z', '2026-10-27T00:00:00Z')).toEqual([
      '2026-10-24T00:30:00.000Z',
      '2026-10-25T00:30:00.000Z', // 02:30 CEST; not again at 02:30 CET (01:30Z)
      '2026-10-26T01:30:00.000Z',
    ]);
  });

  it('never runs an hourly item twice at one instant, nor twice in the repeated hour', () => {
    const spring = runs('0 * * * *', '2026-03-28T23:30:00Z', '2026-03-29T03:00:00Z');
    // 01:00 CET, then 03:00 CEST (02:00 is skipped and lands on 03:00, once), 04:00 CEST.
    expect(spring).toEqual(['2026-03-29T00:00:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-29T02:00:00.000Z']);
    // 02:00 CEST, not 02:00 CET again, then 03:00 and 04:00 CET.
    const autumn = runs('0 * * * *', '2026-10-24T23:30:00Z', '2026-10-25T03:30:00Z');
    expect(autumn).toEqual(['2026-10-25T00:00:00.000Z', '2026-10-25T02:00:00.000Z', '2026-10-25T03:00:00.000Z']);
    expect(new Set(autumn).size).toBe(autumn.length);
  });

  it('stops at the given maximum number of runs', () => {
    expect(runs('0 * * * *', '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z', AMS, 5)).toHaveLength(5);
  });
});
