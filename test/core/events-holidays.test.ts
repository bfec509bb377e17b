import { describe, expect, it } from 'vitest';
import { holidayWarnings } from '../../src/core/events/events.service.js';
import { HOLIDAYS, REGIONS, SCHOOL_HOLIDAYS, schoolHolidaysBetween } from '../../src/core/events/school-holidays.js';

const day = (iso: string) => new Date(`${iso}T12:00:00Z`);

describe('the Dutch school holidays shipped', () => {
  it('hold every holiday of every region for 2025/26, 2026/27 and 2027/28', () => {
    for (const schoolYear of ['2025/26', '2026/27', '2027/28']) {
      for (const holiday of HOLIDAYS) {
        for (const region of REGIONS) {
          expect(SCHOOL_HOLIDAYS.filter((h) => h.schoolYear === schoolYear && h.holiday === holiday && h.region === region), `${schoolYear} ${holiday} ${region}`).toHaveLength(1);
        }
      }
    }
  });

  it('run from a Saturday to a Sunday, nine days or more, summer six weeks', () => {
    for (const h of SCHOOL_HOLIDAYS) {
      expect(day(h.from).getUTCDay(), `${h.holiday} ${h.region} ${h.from}`).toBe(6);
      expect(day(h.to).getUTCDay(), `${h.holiday} ${h.region} ${h.to}`).toBe(0);
      const days = (day(h.to).getTime() - day(h.from).getTime()) / 86_400_000 + 1;
      expect(days).toBeGreaterThanOrEqual(9);
      if (h.holiday === 'summer') expect(days).toBe(44);
    }
  });

  it('give each region its own summer start, as the rotation does', () => {
    for (const year of ['2025/26', '2026/27', '2027/28']) {
      const starts = SCHOOL_HOLIDAYS.filter((h) => h.schoolYear === year && h.holiday === 'summer').map((h) => h.from);
      expect(new Set(starts).size).toBe(3);
    }
  });

  it('match the published dates on samples from each year', () => {
    const find = (year: string, holiday: string, region: string) =>
      SCHOOL_HOLIDAYS.find((h) => h.schoolYear === year && h.holiday === holiday && h.region === region);
    expect(find('2025/26', 'autumn', 'zuid')).toMatchObject({ from: '2025-10-11', to: '2025-10-19' });
    expect(find('2025/26', 'summer', 'midden')).toMatchObject({ from: '2026-07-18', to: '2026-08-30' });
    expect(find('2026/27', 'christmas', 'noord')).toMatchObject({ from: '2026-12-19', to: '2027-01-03' });
    expect(find('2027/28', 'spring', 'noord')).toMatchObject({ from: '2028-02-19', to: '2028-02-27' });
    expect(find('2027/28', 'summer', 'zuid')).toMatchObject({ from: '2028-07-22', to: '2028-09-03' });
  });

  it('hold 2027/28 exactly as rijksoverheid.nl publishes it (checked December 2026)', () => {
    const published: Record<string, [string, string, string, string, string, string]> = {
      autumn: ['2027-10-16', '2027-10-24', '2027-10-16', '2027-10-24', '2027-10-23', '2027-10-31'],
      christmas: ['2027-12-25', '2028-01-09', '2027-12-25', '2028-01-09', '2027-12-25', '2028-01-09'],
      spring: ['2028-02-19', '2028-02-27', '2028-02-26', '2028-03-05', '2028-02-26', '2028-03-05'],
      may: ['2028-04-29', '2028-05-07', '2028-04-29', '2028-05-07', '2028-04-29', '2028-05-07'],
      summer: ['2028-07-15', '2028-08-27', '2028-07-08', '2028-08-20', '2028-07-22', '2028-09-03'],
    };
    for (const [holiday, [nf, nt, mf, mt, zf, zt]] of Object.entries(published)) {
      const shipped = (region: string) => SCHOOL_HOLIDAYS.find((h) => h.schoolYear === '2027/28' && h.holiday === holiday && h.region === region);
      expect([shipped('noord'), shipped('midden'), shipped('zuid')].map((h) => [h?.from, h?.to]), holiday).toEqual([[nf, nt], [mf, mt], [zf, zt]]);
    }
  });

  it('find the holidays a span of days touches, on either edge', () => {
    expect(schoolHolidaysBetween('2025-10-19', '2025-10-19').map((h) => h.region).sort()).toEqual(['midden', 'noord', 'zuid']);
    expect(schoolHolidaysBetween('2025-10-10', '2025-10-10')).toEqual([]);
    expect(schoolHolidaysBetween('2025-10-10', '2025-10-11').map((h) => h.region)).toEqual(['zuid']);
  });
});

describe('school-holiday warnings', () => {
  it('name region and holiday, judged by the day in the community timezone', () => {
    // 23:30 UTC on Friday 3 July 2026 is already Saturday 4 July in Amsterdam: regio noord's summer.
    const late = { startsAt: new Date('2026-07-03T22:30:00Z'), endsAt: new Date('2026-07-03T23:30:00Z') };
    expect(holidayWarnings(late, 'Europe/Amsterdam')).toEqual([
      expect.objectContaining({ code: 'school-holiday', region: 'noord', holiday: 'summer', message: expect.stringMatching(/summer holiday.*region noord/) }),
    ]);
    expect(holidayWarnings(late, 'UTC')).toEqual([]);
  });

  it('warn for every region an event reaches into, across several days', () => {
    const weekend = { startsAt: new Date('2027-02-19T09:00:00Z'), endsAt: new Date('2027-02-21T16:00:00Z') };
    expect(holidayWarnings(weekend, 'Europe/Amsterdam').map((w) => w.region).sort()).toEqual(['midden', 'noord', 'zuid']);
  });
});
