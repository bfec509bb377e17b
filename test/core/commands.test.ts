import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../src/core/i18n/en.js';
import { t, type MessageKey } from '../../src/core/i18n/index.js';
import { nl } from '../../src/core/i18n/nl.js';
import type { Language } from '../../src/db/schema/index.js';
import { newGroup, person } from '../helpers/conversation.js';
import { createHarness, groupMessage, seedCommunity, type Harness } from '../helpers/harness.js';

const ANNA = '31611111111@c.us';
const community = 'Wijkzorg Utrecht';

/** The help lines every language's help must show, one per command. */
const HELP_LINES: MessageKey[] = ['help.help', 'help.rules', 'help.accept', 'help.profile', 'help.profile.language'];

function expectHelp(reply: string | undefined, language: Language) {
  expect(reply?.split('\n')[0]).toBe(t(language, 'help.title', { community }));
  for (const key of HELP_LINES) expect(reply).toContain(t(language, key));
  expect(reply).toContain(t(language, 'help.footer'));
}

describe('chat commands', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  async function speaker(language: Language) {
    const { group } = await seedCommunity(h, { language }, newGroup());
    return person(h, group, ANNA);
  }

  describe('help / hulp', () => {
    it('lists the commands in Dutch for hulp and in English for commands', async () => {
      const say = await speaker('en');
      const [hulp] = await say('/hulp');
      expectHelp(hulp, 'nl');
      const [commands] = await say('!commands');
      expectHelp(commands, 'en');
    });

    it('answers the word both languages share in the community language', async () => {
      expectHelp((await (await speaker('nl'))('/help'))[0], 'nl');
      expectHelp((await (await speaker('en'))('/help'))[0], 'en');
    });

    it('reads the command word in any case', async () => {
      expectHelp((await (await speaker('en'))('/HULP'))[0], 'nl');
    });
  });

  describe('the reply language', () => {
    // The member's own choice beats the command word, which beats the community's language.
    it.each([
      { community: 'nl', word: '/rules', chosen: null, expected: 'en' },
      { community: 'en', word: '/regels', chosen: null, expected: 'nl' },
      { community: 'en', word: '/help', chosen: null, expected: 'en' },
      { community: 'nl', word: '/help', chosen: null, expected: 'nl' },
      { community: 'nl', word: '/regels', chosen: 'en', expected: 'en' },
      { community: 'en', word: '/rules', chosen: 'nl', expected: 'nl' },
      { community: 'en', word: '/help', chosen: 'nl', expected: 'nl' },
    ] as const)(
      'is $expected for $word in a $community community when the member chose $chosen',
      async ({ community: language, word, chosen, expected }) => {
        const say = await speaker(language);
        if (chosen) await say(`/profile language ${chosen}`);
        const [reply] = await say(word);
        const firstLine = word === '/help' ? t(expected, 'help.title', { community }) : t(expected, 'rules.none', { community });
        expect(reply?.split('\n')[0]).toBe(firstLine);
      },
    );
  });

  describe('an unknown command', () => {
    it('suggests the closest command for a typo, in the community language', async () => {
      expect(await (await speaker('en'))('/halp')).toEqual([t('en', 'unknown.suggest', { word: 'halp', suggestion: 'help' })]);
      expect(await (await speaker('nl'))('/akoord')).toEqual([
        t('nl', 'unknown.suggest', { word: 'akoord', suggestion: 'akkoord' }),
      ]);
    });

    it('gets the plain answer when it resembles nothing', async () => {
      const say = await speaker('en');
      expect(await say('/xyzzy')).toEqual([t('en', 'unknown.plain', { word: 'xyzzy' })]);
      // A stray letter is not a typo of "?".
      expect(await say('/x')).toEqual([t('en', 'unknown.plain', { word: 'x' })]);
    });

    it('quotes at most 40 characters of what was sent', async () => {
      const word = 'a'.repeat(500);
      const [reply] = await (await speaker('en'))(`/${word}`);
      expect(reply).toBe(t('en', 'unknown.plain', { word: 'a'.repeat(40) }));
    });
  });

  it('understands every command word the texts tell a member to send', async () => {
    const { group } = await seedCommunity(h, { rules: 'Wees aardig.' }, newGroup());
    for (const catalogue of [en, nl]) {
      const words = new Set(
        Object.values(catalogue).flatMap((text) =>
          [...text.matchAll(/\*([^*{}]+)\*/g)].map((m) => m[1]!.split(' ')[0]!.toLowerCase()),
        ),
      );
      expect(words.size).toBeGreaterThan(3);
      for (const word of words) {
        const result = await h.core.receive(groupMessage(group, ANNA, `/${word}`));
        expect({ word, command: result.command }).not.toEqual({ word, command: 'unknown' });
      }
    }
  });
});
