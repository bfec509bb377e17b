import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/core/i18n/index.js';
import { members } from '../../src/db/schema/index.js';
import { newGroup } from '../helpers/conversation.js';
import { createHarness, groupMessage, seedCommunity, type Harness } from '../helpers/harness.js';

describe('text PostgreSQL cannot store (a NUL character)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  it('does not lock a member out when their WhatsApp name contains one', async () => {
    const { group, address } = await seedCommunity(h, { language: 'en' }, newGroup());
    const sender = { externalId: '31699999999@c.us', displayName: 'Ann\u0000a' };
    const first = await h.core.receive(groupMessage(group, sender.externalId, '/help', { sender }));
    expect(first.status).toBe('processed');
    const second = await h.core.receive(groupMessage(group, sender.externalId, '/profile name Anna\u0000 de Vries', { sender }));
    expect(second.command).toBe('profile');
    await h.flush();
    expect(h.whatsapp.textsTo(address).at(-1)).toBe(t('en', 'profile.name.set', { name: 'Anna de Vries' }));
    const [member] = await h.database.db.select().from(members).where(eq(members.id, first.memberId!));
    expect(member!.displayName).toBe('Anna de Vries');
  });

  it('gives a REST client a 400 problem, not a 500', async () => {
    const { community } = await seedCommunity(h, {}, newGroup());
    const res = await h.api({ method: 'PATCH', url: `/v1/communities/${community.id}`, payload: { purpose: 'Zorg\u0000samen' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'invalid', status: 400 });
    const themes = await h.api({ method: 'PATCH', url: `/v1/communities/${community.id}`, payload: { themes: ['a\u0000b'] } });
    expect(themes.statusCode).toBe(400);
  });
});
