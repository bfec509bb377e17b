/**
 * Dutch school holidays per region, for planning help: seed 003 names "school holidays in the
 * different regions" as a reason community activities failed.
 *
 * Source: Rijksoverheid, "Overzicht schoolvakanties per schooljaar"
 * (https://www.rijksoverheid.nl/onderwerpen/schoolvakanties/overzicht-schoolvakanties-per-schooljaar),
 * the pages for 2025-2026, 2026-2027 and 2027-2028. The ministry (OCW) fixes the summer holiday and
 * gives advisory dates for the others; a school may deviate (and many in regio zuid move the
 * spring holiday to carnival). Dates are inclusive, Saturday to Sunday, in Dutch local time.
 * Add the next school year here when the ministry publishes it.
 *
 * Checked on 3 December 2026 against what could be found (see the notes per year below):
 * - 2027/28: every date matches the ministry's own page "Overzicht schoolvakanties 2027-2028"
 *   (rijksoverheid.nl/…/overzicht-schoolvakanties-2027-2028), May advisory week 22–30 April 2028.
 * - 2026/27: the ministry's page itself was not found. Autumn (all regions) agrees with two
 *   secondary overviews that cite it (schoolvakanties.org, deepsea.nl); Christmas, spring (midden),
 *   May (start 24 April) and summer (midden, 17 July – 29 August) agree with the published
 *   calendars of schools in regio midden (CSG De Waard, WSKO Westland). Spring noord/zuid and
 *   summer noord/zuid are NOT verified: a school in regio zuid (Montessori College Nijmegen) lists
 *   its 2027 summer from Monday 19 July, i.e. a start on 17 July rather than the 24 July below.
 *   Not changed on one school's page (schools deviate, and regio midden has 17 July); check
 *   rijksoverheid.nl/onderwerpen/schoolvakanties/overzicht-schoolvakanties-per-schooljaar.
 * - 2025/26: autumn, Christmas, spring (noord, midden), May and summer midden agree with
 *   secondary overviews and school calendars; the rest was not re-checked.
 */

export const REGIONS = ['noord', 'midden', 'zuid'] as const;
export type Region = (typeof REGIONS)[number];

export const HOLIDAYS = ['autumn', 'christmas', 'spring', 'may', 'summer'] as const;
export type Holiday = (typeof HOLIDAYS)[number];

export interface SchoolHoliday {
  region: Region;
  holiday: Holiday;
  schoolYear: string;
  /** First day, YYYY-MM-DD. */
  from: string;
  /** Last day, YYYY-MM-DD. */
  to: string;
}

type Year = Record<Holiday, Record<Region, [string, string]>>;

const all = (from: string, to: string): Record<Region, [string, string]> => ({ noord: [from, to], midden: [from, to], zuid: [from, to] });

const YEARS: Record<string, Year> = {
  '2025/26': {
    autumn: { noord: ['2025-10-18', '2025-10-26'], midden: ['2025-10-18', '2025-10-26'], zuid: ['2025-10-11', '2025-10-19'] },
    christmas: all('2025-12-20', '2026-01-04'),
    spring: { noord: ['2026-02-21', '2026-03-01'], midden: ['2026-02-14', '2026-02-22'], zuid: ['2026-02-14', '2026-02-22'] },
    may: all('2026-04-25', '2026-05-03'),
    summer: { noord: ['2026-07-04', '2026-08-16'], midden: ['2026-07-18', '2026-08-30'], zuid: ['2026-07-11', '2026-08-23'] },
  },
  // Autumn verified (secondary sources); summer noord/zuid and spring noord/zuid unverified, see above.
  '2026/27': {
    autumn: { noord: ['2026-10-10', '2026-10-18'], midden: ['2026-10-17', '2026-10-25'], zuid: ['2026-10-17', '2026-10-25'] },
    christmas: all('2026-12-19', '2027-01-03'),
    spring: { noord: ['2027-02-20', '2027-02-28'], midden: ['2027-02-20', '2027-02-28'], zuid: ['2027-02-13', '2027-02-21'] },
    may: all('2027-04-24', '2027-05-02'),
    summer: { noord: ['2027-07-10', '2027-08-22'], midden: ['2027-07-17', '2027-08-29'], zuid: ['2027-07-24', '2027-09-05'] },
  },
  // Verified against rijksoverheid.nl, "Overzicht schoolvakanties 2027-2028".
  '2027/28': {
    autumn: { noord: ['2027-10-16', '2027-10-24'], midden: ['2027-10-16', '2027-10-24'], zuid: ['2027-10-23', '2027-10-31'] },
    christmas: all('2027-12-25', '2028-01-09'),
    spring: { noord: ['2028-02-19', '2028-02-27'], midden: ['2028-02-26', '2028-03-05'], zuid: ['2028-02-26', '2028-03-05'] },
    may: all('2028-04-29', '2028-05-07'),
    summer: { noord: ['2028-07-15', '2028-08-27'], midden: ['2028-07-08', '2028-08-20'], zuid: ['2028-07-22', '2028-09-03'] },
  },
};

/** Every holiday of every region in the years shipped, in date order. */
export const SCHOOL_HOLIDAYS: readonly SchoolHoliday[] = Object.entries(YEARS)
  .flatMap(([schoolYear, year]) =>
    HOLIDAYS.flatMap((holiday) => REGIONS.map((region) => ({ region, holiday, schoolYear, from: year[holiday][region][0], to: year[holiday][region][1] }))),
  )
  .sort((a, b) => a.from.localeCompare(b.from) || REGIONS.indexOf(a.region) - REGIONS.indexOf(b.region));

/** The holidays that overlap the local days `from` to `to` (YYYY-MM-DD, inclusive). */
export function schoolHolidaysBetween(from: string, to: string): SchoolHoliday[] {
  return SCHOOL_HOLIDAYS.filter((h) => h.from <= to && h.to >= from);
}
