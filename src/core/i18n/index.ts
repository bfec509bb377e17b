import type { Language } from '../../db/schema/index.js';
import { en, type MessageKey } from './en.js';
import { nl } from './nl.js';

export type { MessageKey };
export type Params = Record<string, string | number>;

const catalogues: Record<Language, Record<MessageKey, string>> = { en, nl };

/** The text for `key` in `language`, with `{name}` placeholders filled from params. */
export function t(language: Language, key: MessageKey, params: Params = {}): string {
  return catalogues[language][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** A date as a member reads it, in their language and the community's timezone. */
export function formatDate(language: Language, date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat(language === 'nl' ? 'nl-NL' : 'en-GB', {
    dateStyle: 'long',
    timeZone,
  }).format(date);
}
