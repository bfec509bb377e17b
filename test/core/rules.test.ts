import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/core/i18n/index.js';
import { members } from '../../src/db/schema/index.js';
import { newGroup, person } from '../helpers/conversation.js';
import { createHarness, seedCommunity, type Harness } from '../helpers/harness.js';

const ANNA = '31611111111@c.us';
const RULES_V1 = 'Wees vriendelijk. Deel geen persoonsgegevens van cliënten.';
const RULES_V2 = 'Wees vriendelijk. Deel geen persoonsgegevens. Vragen stellen mag altijd.';
const community = 'Wijkzorg Utrecht';

describe('house rules', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  /** The one member of a community these tests create. */
  async function theMember(communityId: string) {
    const rows = await h.database.db.select().from(members).where(eq(members.communityId, communityId));
    expect(rows).toHaveLength(1);
    return rows[0]!;
  }

  async function changeRules(communityId: string, rules: string) {
    const response = await h.api({ method: 'PATCH', url: `/v1/communities/${communityId}`, payload: { rules } });
    expect(response.statusCode).toBe(200);
  }

  describe('rules / regels', () => {
    it('says there are none yet, in the language of the word used', async () => {
      const { group } = await seedCommunity(h, { language: 'nl' }, newGroup());
      const say = person(h, group, ANNA);
      expect(await say('/regels')).toEqual([t('nl', 'rules.none', { community })]);
      expect(await say('/rules')).toEqual([t('en', 'rules.none', { community })]);
    });

    it('shows the current rules and asks the member to accept them', async () => {
      const { group } = await seedCommunity(h, { rules: RULES_V1 }, newGroup());
      expect(await person(h, group, ANNA)('/huisregels')).toEqual([
        [t('nl', 'rules.show', { community, version: 1, text: RULES_V1 }), t('nl', 'rules.askAccept')].join('\n'),
      ]);
    });

    it('tells a member who accepted when they did, instead of asking again', async () => {
      const { group } = await seedCommunity(h, { rules: RULES_V1 }, newGroup());
      const say = person(h, group, ANNA);
      await say('/akkoord');
      h.clock.advance(3 * 24 * 3600_000);
      // The fake clock starts on 2 March 2026; the date is shown in the community's timezone.
      expect(await say('/regels')).toEqual([
        [t('nl', 'rules.show', { community, version: 1, text: RULES_V1 }), t('nl', 'rules.accepted', { date: '2 maart 2026' })].join(
          '\n',
        ),
      ]);
      expect(await say('/rules')).toEqual([
        [t('en', 'rules.show', { community, version: 1, text: RULES_V1 }), t('en', 'rules.accepted', { date: '2 March 2026' })].join(
          '\n',
        ),
      ]);
    });
  });

  describe('accept / akkoord', () => {
    it('records the version accepted and when, and thanks the member by name', async () => {
      const seeded = await seedCommunity(h, { rules: RULES_V1 }, newGroup());
      const say = person(h, seeded.group, ANNA, 'Anna de Vries');
      const acceptedAt = h.clock.now();

      expect(await say('/akkoord')).toEqual([t('nl', 'accept.done', { name: 'Anna de Vries', version: 1 })]);
      expect(await theMember(seeded.community.id)).toMatchObject({ rulesAcceptedVersion: 1, rulesAcceptedAt: acceptedAt });
    });

    it('says so when the member had already accepted, and keeps the first time', async () => {
      const seeded = await seedCommunity(h, { rules: RULES_V1, language: 'en' }, newGroup());
      const say = person(h, seeded.group, ANNA);
      const acceptedAt = h.clock.now();
      await say('/accept');
      h.clock.advance(3600_000);

      expect(await say('/accept')).toEqual([t('en', 'accept.already', { version: 1 })]);
      expect(await say('/akkoord')).toEqual([t('nl', 'accept.already', { version: 1 })]);
      expect(await theMember(seeded.community.id)).toMatchObject({ rulesAcceptedVersion: 1, rulesAcceptedAt: acceptedAt });
    });

    it('asks again after the rules change, and records the new version', async () => {
      const seeded = await seedCommunity(h, { rules: RULES_V1 }, newGroup());
      const say = person(h, seeded.group, ANNA, 'Anna');
      await say('/akkoord');

      await changeRules(seeded.community.id, RULES_V2);
      // The new version is announced in the group, asking everyone to accept it.
      await h.flush();
      expect(h.whatsapp.textsTo(seeded.address).at(-1)).toBe(t('nl', 'rules.announce.changed', { community, version: 2, text: RULES_V2 }));
      h.clock.advance(7 * 24 * 3600_000);
      expect(await say('/regels')).toEqual([
        [t('nl', 'rules.show', { community, version: 2, text: RULES_V2 }), t('nl', 'rules.askAccept')].join('\n'),
      ]);

      const acceptedAt = h.clock.now();
      expect(await say('/akkoord')).toEqual([t('nl', 'accept.done', { name: 'Anna', version: 2 })]);
      expect(await theMember(seeded.community.id)).toMatchObject({ rulesAcceptedVersion: 2, rulesAcceptedAt: acceptedAt });
    });

    it('has nothing to accept while there are no house rules', async () => {
      const seeded = await seedCommunity(h, {}, newGroup());
      const say = person(h, seeded.group, ANNA);
      expect(await say('/akkoord')).toEqual([t('nl', 'accept.none')]);
      expect(await say('/agree')).toEqual([t('en', 'accept.none')]);
      expect(await theMember(seeded.community.id)).toMatchObject({ rulesAcceptedVersion: null, rulesAcceptedAt: null });
    });
  });
});
