import { describe, expect, it } from 'vitest';
import { en } from '../../src/core/i18n/en.js';
import { t } from '../../src/core/i18n/index.js';
import { nl } from '../../src/core/i18n/nl.js';

type Catalogue = Record<string, string>;

/** The {placeholders} a text fills in, sorted, each once. */
const placeholders = (text: string) => [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))].sort();

/** Where two catalogues disagree: keys only one has, and keys whose placeholders differ. */
function differences(a: Catalogue, b: Catalogue): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(a)) if (!(key in b)) problems.push(`${key}: missing from the second`);
  for (const key of Object.keys(b)) if (!(key in a)) problems.push(`${key}: missing from the first`);
  for (const key of Object.keys(a)) {
    if (!(key in b)) continue;
    const [pa, pb] = [placeholders(a[key]!), placeholders(b[key]!)];
    if (pa.join() !== pb.join()) problems.push(`${key}: {${pa.join('}, {')}} against {${pb.join('}, {')}}`);
  }
  return problems;
}

describe('the chat catalogues', () => {
  it('have the same keys in English and Dutch, with the same placeholders in each text', () => {
    expect(Object.keys(nl).sort()).toEqual(Object.keys(en).sort());
    expect(differences(en, nl)).toEqual([]);
  });

  it('have no empty texts', () => {
    for (const catalogue of [en, nl]) {
      expect(Object.entries(catalogue).filter(([, text]) => !text.trim())).toEqual([]);
    }
  });

  it('notice a missing key or a placeholder that differs', () => {
    expect(
      differences(
        { greet: 'Hello {name}', bye: 'Bye {name}', extra: 'only here' },
        { greet: 'Hallo {naam}', bye: 'Dag {name}', other: 'alleen hier' },
      ),
    ).toEqual(['extra: missing from the second', 'other: missing from the first', 'greet: {name} against {naam}']);
    expect(differences({ a: '{x} and {y}' }, { a: '{y}, {x} and {x}' })).toEqual([]);
  });

  it('fill placeholders from the parameters and leave unknown ones visible', () => {
    expect(t('nl', 'accept.done', { name: 'Anna', version: 2 })).toBe(
      'Dank je wel, Anna! Je bent akkoord gegaan met versie 2 van de huisregels.',
    );
    expect(t('en', 'accept.done', { name: 'Anna' })).toBe(
      'Thank you, Anna! You accepted version {version} of the house rules.',
    );
  });
});
