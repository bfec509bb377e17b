import type { Language } from '../../db/schema/index.js';

const cache = new Map<string, Intl.DateTimeFormat>();

/** When an activity is, as a member reads it: "Tue 10 March, 19:30" / "di 10 maart, 19:30". */
export function formatWhen(language: Language, date: Date, timeZone: string): string {
  const key = `${language}\u0000${timeZone}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(language === 'nl' ? 'nl-NL' : 'en-GB', {
      timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'long',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    cache.set(key, f);
  }
  return f.format(date);
}

const days = new Map<string, Intl.DateTimeFormat>();

/** A calendar day (YYYY-MM-DD) as a member reads it: "17 October" / "17 oktober". */
export function formatDay(language: Language, day: string): string {
  let f = days.get(language);
  if (!f) {
    f = new Intl.DateTimeFormat(language === 'nl' ? 'nl-NL' : 'en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long' });
    days.set(language, f);
  }
  return f.format(new Date(`${day}T12:00:00Z`));
}
