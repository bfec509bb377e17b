import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/core/i18n/index.js';
import { identities, inboundMessages, members } from '../../src/db/schema/index.js';
import { newGroup } from '../helpers/conversation.js';
import { engine } from '../helpers/database.js';
import { createHarness, groupMessage, seedCommunity, type Harness } from '../helpers/harness.js';

// On PostgreSQL these run as real concurrent transactions on a pool of connections; on PGlite
// the transactions take turns, which must give the same outcome.
describe(`messages arriving at the same time (${engine()})`, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  it('makes one member of a newcomer whose first 20 messages arrive at once, and answers every one', async () => {
    const { community, group, address } = await seedCommunity(h, { language: 'en' }, newGroup());
    const sender = '31644444444@c.us';
    const messages = Array.from({ length: 20 }, () =>
      groupMessage(group, sender, '/help', { sender: { externalId: sender, displayName: 'Fatima' } }),
    );

    const results = await Promise.all(messages.map((m) => h.core.receive(m)));
    await h.flush();

    // None of them fell through to the "something went wrong" path.
    expect(results.map((r) => `${r.status}:${r.command}`)).toEqual(Array(20).fill('processed:help'));
    const all = await h.database.db.select().from(members).where(eq(members.communityId, community.id));
    expect(all.map((m) => m.displayName)).toEqual(['Fatima']);
    expect(new Set(results.map((r) => r.memberId))).toEqual(new Set([all[0]!.id]));
    const known = await h.database.db.select().from(identities).where(eq(identities.communityId, community.id));
    expect(known).toHaveLength(1);
    const recorded = await h.database.db
      .select()
      .from(inboundMessages)
      .where(eq(inboundMessages.communityId, community.id));
    expect(recorded).toHaveLength(20);

    const replies = h.whatsapp.textsTo(address);
    expect(replies).toHaveLength(20);
    for (const reply of replies) expect(reply).toContain(t('en', 'help.title', { community: 'Wijkzorg Utrecht' }));
  });

  it('makes one member each of 20 newcomers who write at once', async () => {
    const { community, group } = await seedCommunity(h, {}, newGroup());
    const senders = Array.from({ length: 20 }, (_, i) => `316550000${String(i).padStart(2, '0')}@c.us`);

    const results = await Promise.all(senders.map((s) => h.core.receive(groupMessage(group, s, 'Hallo!'))));

    expect(results.every((r) => r.status === 'processed' && r.command === undefined)).toBe(true);
    const all = await h.database.db.select().from(members).where(eq(members.communityId, community.id));
    expect(all.map((m) => m.displayName).sort()).toEqual(senders.map((s) => s.split('@')[0]).sort());
  });
});
