import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, groupMessage, seedCommunity, type Harness } from '../helpers/harness.js';

describe('smoke', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  it('answers help in a linked group', async () => {
    const { group, address } = await seedCommunity(h, { language: 'en' });
    const result = await h.core.receive(groupMessage(group, '31612345678@c.us', '/help'));
    expect(result.status).toBe('processed');
    await h.flush();
    expect(h.whatsapp.textsTo(address)[0]).toContain('Commands for Wijkzorg Utrecht');
  });
});
