import { describe, expect, it } from 'vitest';
import { toTeamsMarkdown } from '../../adapters/teams/teams.mapper.js';

describe('the core’s text in Teams markdown', () => {
  it.each([
    ['*help* for the commands', '**help** for the commands'],
    ['link <community-slug>', 'link &lt;community-slug&gt;'],
    ['Tom & Jerry', 'Tom &amp; Jerry'],
    ['one\ntwo\r\nthree', 'one<br>two<br>three'],
    ['**already bold**', '**already bold**'],
    ['a*b*c and 2*3*4', 'a*b*c and 2*3*4'],
    ['*a<b*', '**a&lt;b**'],
    ['intro\n*bold* end', 'intro<br>**bold** end'],
    ['*two\nlines*', '*two<br>lines*'],
  ])('%j → %j', (text, expected) => {
    expect(toTeamsMarkdown(text)).toBe(expected);
  });
});

/** The regex toTeamsMarkdown was, in one replace: what its hand-written pass must keep doing. */
const REFERENCE = /[&<>]|\r?\n|(?<![*\w])\*([^*\n]+?)\*(?![*\w])/g;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const reference = (text: string) =>
  text.replace(REFERENCE, (match, bold: string | undefined) =>
    bold !== undefined ? `**${bold.replace(/[&<>]/g, (c) => ESCAPES[c]!)}**` : match.endsWith('\n') ? '<br>' : ESCAPES[match]!,
  );

describe('toTeamsMarkdown against the regex it replaced', () => {
  it('gives the same text for 20,000 random mixes of stars, words, breaks and HTML characters', () => {
    // A fixed seed: a failure names the text that differs, and the next run finds it again.
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const pieces = ['*', '**', 'a', 'help', '_', '9', ' ', '\n', '\r\n', '\r', '&', '<', '>', 'é', '—', '*bold*', '.'];
    for (let i = 0; i < 20_000; i++) {
      const text = Array.from({ length: 1 + Math.floor(random() * 12) }, () => pieces[Math.floor(random() * pieces.length)]).join('');
      expect(toTeamsMarkdown(text), JSON.stringify(text)).toBe(reference(text));
    }
  });
});
