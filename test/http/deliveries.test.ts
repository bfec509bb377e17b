import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, groupMessage, type Harness } from '../helpers/harness.js';
import { expectProblem, seed } from './support.js';

interface Delivery {
  id: string;
  channel: string;
  address: string;
  spaceId: string | null;
  memberId: string | null;
  payload: { text: string };
  status: string;
  attempts: number;
  lastError: string | null;
  deliveredAt: string | null;
}
interface DeliveryPage {
  items: Delivery[];
  total: number;
  limit: number;
  offset: number;
}

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const deliveries = async (communityId: string, query = '') => {
  const res = await h.api({ method: 'GET', url: `/v1/communities/${communityId}/deliveries${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as DeliveryPage;
};

describe('deliveries', () => {
  it('gives 404 for the deliveries of a community that does not exist, not an empty list', async () => {
    expectProblem(await h.api({ method: 'GET', url: '/v1/communities/00000000-0000-4000-8000-000000000000/deliveries' }), 404, 'not-found');
  });

  it('shows the answer to /help as pending until it is sent, then as delivered', async () => {
    const { community, group, address } = await seed(h, { language: 'en' });
    const sent = await h.core.receive(groupMessage(group, '31610101010@c.us', '/help'));

    const pending = await deliveries(community.id);
    expect(pending.total).toBe(1);
    expect(pending.items[0]).toMatchObject({
      channel: 'whatsapp',
      address,
      memberId: sent.memberId,
      status: 'pending',
      attempts: 0,
      deliveredAt: null,
    });
    expect(pending.items[0]!.payload.text).toContain('Commands for Wijkzorg Utrecht');
    expect(h.whatsapp.textsTo(address)).toEqual([]);

    await h.flush();

    const delivered = await deliveries(community.id);
    expect(delivered.items[0]).toMatchObject({ id: pending.items[0]!.id, status: 'delivered', attempts: 1, lastError: null });
    expect(delivered.items[0]!.deliveredAt).toEqual(expect.any(String));
    expect(h.whatsapp.textsTo(address)).toHaveLength(1);
  });

  it('links the delivery to the space it went to', async () => {
    const { community, group } = await seed(h);
    await h.core.receive(groupMessage(group, '31620202020@c.us', '/help'));
    const spaces = (await h.api({ method: 'GET', url: `/v1/communities/${community.id}/spaces` })).json() as { items: { id: string }[] };
    expect((await deliveries(community.id)).items[0]?.spaceId).toBe(spaces.items[0]!.id);
  });

  it('filters by status', async () => {
    const { community, group } = await seed(h);
    await h.core.receive(groupMessage(group, '31630303030@c.us', '/help'));
    await h.flush();
    await h.core.receive(groupMessage(group, '31630303030@c.us', '/rules'));

    const pending = await deliveries(community.id, '?status=pending');
    expect(pending.total).toBe(1);
    expect(pending.items.map((d) => d.status)).toEqual(['pending']);
    const delivered = await deliveries(community.id, '?status=delivered');
    expect(delivered.total).toBe(1);
    expect(delivered.items.map((d) => d.status)).toEqual(['delivered']);
    expect((await deliveries(community.id, '?status=failed')).total).toBe(0);
  });

  it('shows why a delivery failed, as the platform said', async () => {
    await h.flush(); // what earlier tests left queued must not take the failure
    const { community, group } = await seed(h);
    await h.core.receive(groupMessage(group, '31640404040@c.us', '/help'));
    h.whatsapp.failNext(1, false, 'the bot was removed from the group');
    await h.flush();
    const failed = await deliveries(community.id, '?status=failed');
    expect(failed.total).toBe(1);
    expect(failed.items[0]).toMatchObject({ lastError: 'the bot was removed from the group', deliveredAt: null, attempts: 1 });
  });

  it('lists newest first, pages, and filters by channel', async () => {
    const { community, group } = await seed(h, { language: 'en' });
    await h.core.receive(groupMessage(group, '31650505050@c.us', '/help'));
    await h.core.receive(groupMessage(group, '31650505050@c.us', '/rules'));

    const all = await deliveries(community.id);
    expect(all.total).toBe(2);
    expect(all.items[0]!.payload.text).toContain('no house rules');
    expect(all.items[1]!.payload.text).toContain('Commands for');

    const second = await deliveries(community.id, '?limit=1&offset=1');
    expect(second).toMatchObject({ total: 2, limit: 1, offset: 1 });
    expect(second.items.map((d) => d.id)).toEqual([all.items[1]!.id]);

    expect((await deliveries(community.id, '?channel=whatsapp')).total).toBe(2);
    expect((await deliveries(community.id, '?channel=teams')).total).toBe(0);
  });

  it('shows only the community’s own deliveries', async () => {
    const first = await seed(h);
    const second = await seed(h);
    await h.core.receive(groupMessage(first.group, '31660606060@c.us', '/help'));
    expect((await deliveries(second.community.id)).total).toBe(0);
    expect((await deliveries(first.community.id)).total).toBe(1);
  });

  it('gives a manager token the deliveries of its own community', async () => {
    const { community, group } = await seed(h);
    await h.core.receive(groupMessage(group, '31670707070@c.us', '/help'));
    const issued = await h.api({ method: 'POST', url: '/v1/tokens', payload: { name: 'm', communityId: community.id } });
    const token = (issued.json() as { token: string }).token;
    const res = await h.api({ method: 'GET', url: `/v1/communities/${community.id}/deliveries`, token });
    expect(res.statusCode).toBe(200);
    expect((res.json() as DeliveryPage).total).toBe(1);
  });

  it('needs a token', async () => {
    const { community } = await seed(h);
    expectProblem(await h.api({ method: 'GET', url: `/v1/communities/${community.id}/deliveries`, token: null }), 401, 'unauthorized');
  });
});
