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
