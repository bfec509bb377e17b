import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/core/i18n/index.js';
import { members, organisations } from '../../src/db/schema/index.js';
import { newGroup, person } from '../helpers/conversation.js';
import { createHarness, seedCommunity, type Harness } from '../helpers/harness.js';

const ANNA = '31611111111@c.us';
const community = 'Wijkzorg Utrecht';
const ORGANISATIONS = ['Hogeschool Utrecht', 'Gemeente Utrecht', 'Gemeente Amersfoort'];

describe('profile / profiel', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  /** A community (with the given organisations taking part) and Anna in its group. */
  async function setup(fields: Record<string, unknown> = {}, orgs: string[] = []) {
    const seeded = await seedCommunity(h, fields, newGroup());
    for (const name of orgs) {
      const response = await h.api({
        method: 'POST',
        url: `/v1/communities/${seeded.community.id}/organisations`,
        payload: { name },
      });
      expect(response.statusCode).toBe(201);
    }
    const say = person(h, seeded.group, ANNA, 'Anna');
    const member = async () =>
      (await h.database.db.select().from(members).where(eq(members.communityId, seeded.community.id)))[0]!;
    const organisationOf = async () => {
      const { organisationId } = await member();
      if (!organisationId) return null;
      const [row] = await h.database.db.select().from(organisations).where(eq(organisations.id, organisationId));
      return row!.name;
    };
    return { ...seeded, say, member, organisationOf };
  }

  it('shows a newcomer their profile', async () => {
    const { say } = await setup({ rules: 'Wees aardig.' });
    expect(await say('/profiel')).toEqual([
      // First contact: the welcome with the house rules comes first.
      [t('nl', 'welcome.firstContact', { community, name: 'Anna' }), '', t('nl', 'welcome.rules', { version: 1, text: 'Wees aardig.' })].join('\n'),
      t('nl', 'profile.show', {
        community,
        name: 'Anna',
        organisation: t('nl', 'profile.none'),
        role: t('nl', 'role.member'),
        language: t('nl', 'language.nl'),
        rules: t('nl', 'profile.rules.pending'),
      }),
    ]);
  });

  it('shows what the member set and accepted', async () => {
    const { say } = await setup({ language: 'en', rules: 'Be kind.' }, ORGANISATIONS);
    await say('/profile organisation gemeente utrecht');
    await say('/accept');
    expect(await say('/me')).toEqual([
      t('en', 'profile.show', {
        community,
        name: 'Anna',
        organisation: 'Gemeente Utrecht',
        role: t('en', 'role.member'),
        language: t('en', 'language.en'),
        rules: t('en', 'profile.rules.accepted', { version: 1 }),
      }),
    ]);
  });

  describe('name', () => {
    it('changes the name the community knows the member by', async () => {
      const { say, member } = await setup({ language: 'en' });
      expect(await say('/profile name  Anna de Vries ')).toEqual([t('en', 'profile.name.set', { name: 'Anna de Vries' })]);
      expect((await member()).displayName).toBe('Anna de Vries');
      expect(await say('/profiel naam Anna van Dijk')).toEqual([t('nl', 'profile.name.set', { name: 'Anna van Dijk' })]);
      expect((await member()).displayName).toBe('Anna van Dijk');
    });

    it('refuses an empty or overlong name and keeps the old one', async () => {
      const { say, member } = await setup({ language: 'en' });
      expect(await say('/profile name')).toEqual([t('en', 'profile.name.invalid', { max: 80 })]);
      expect(await say(`/profile name ${'A'.repeat(81)}`)).toEqual([t('en', 'profile.name.invalid', { max: 80 })]);
      expect((await member()).displayName).toBe('Anna');
    });
  });

  describe('organisation', () => {
    it('matches an organisation regardless of case', async () => {
      const { say, organisationOf } = await setup({}, ORGANISATIONS);
      expect(await say('/profiel organisatie GEMEENTE amersfoort')).toEqual([
        t('nl', 'profile.organisation.set', { organisation: 'Gemeente Amersfoort' }),
      ]);
      expect(await organisationOf()).toBe('Gemeente Amersfoort');
    });

    it('matches the one organisation a prefix fits', async () => {
      const { say, organisationOf } = await setup({}, ORGANISATIONS);
      expect(await say('/profiel organisatie hoge')).toEqual([
        t('nl', 'profile.organisation.set', { organisation: 'Hogeschool Utrecht' }),
      ]);
      expect(await organisationOf()).toBe('Hogeschool Utrecht');
    });

    it('lists the organisations taking part when the name fits none, or several', async () => {
      const { say, organisationOf } = await setup({}, ORGANISATIONS);
      const list = 'Gemeente Amersfoort, Gemeente Utrecht, Hogeschool Utrecht';
      expect(await say('/profiel organisatie Rabobank')).toEqual([
        t('nl', 'profile.organisation.unknown', { name: 'Rabobank', list }),
      ]);
      expect(await say('/profile org gemeente')).toEqual([
        t('en', 'profile.organisation.unknown', { name: 'gemeente', list }),
      ]);
      expect(await organisationOf()).toBeNull();
    });

    it('says the manager has added none yet', async () => {
      const { say } = await setup({});
      expect(await say('/profiel organisatie Gemeente Utrecht')).toEqual([
        t('nl', 'profile.organisation.empty', { community }),
      ]);
    });
  });

  describe('language', () => {
    it('answers in the chosen language from then on, whatever words the member uses', async () => {
      const { say, member } = await setup({ language: 'nl' });
      expect(await say('/profiel taal en')).toEqual([t('en', 'profile.language.set')]);
      expect((await member()).language).toBe('en');

      const [help] = await say('/hulp');
      expect(help?.split('\n')[0]).toBe(t('en', 'help.title', { community }));
      expect(await say('/regels')).toEqual([t('en', 'rules.none', { community })]);
      expect(await say('/halp')).toEqual([t('en', 'unknown.suggest', { word: 'halp', suggestion: 'help' })]);

      expect(await say('/profile language NL')).toEqual([t('nl', 'profile.language.set')]);
      expect(await say('/rules')).toEqual([t('nl', 'rules.none', { community })]);
    });

    it('refuses a language it does not speak', async () => {
      const { say, member } = await setup({ language: 'en' });
      expect(await say('/profile language de')).toEqual([t('en', 'profile.language.invalid')]);
      expect((await member()).language).toBeNull();
    });
  });

  it('explains its use when the field is unknown', async () => {
    const { say } = await setup({});
    expect(await say('/profiel kleur blauw')).toEqual([t('nl', 'profile.usage')]);
  });
});
