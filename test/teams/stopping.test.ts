import { describe, expect, it } from 'vitest';
import { fixture, freshIds, useTeams } from './support.js';

const { teams, connector } = useTeams();

/** Posts a channel message, so the adapter knows how to reach the channel; returns its address. */
async function knownChannel() {
  const ids = freshIds();
  const a = fixture('channel-mention-help');
  Object.assign(a, { id: ids.activity(), text: '<at>Samen</at> hello', serviceUrl: connector.url });
  a.conversation.id = ids.channel;
  a.from.aadObjectId = ids.aad;
  expect((await teams.post(a)).status).toBe(200);
  return `teams:${ids.channel}`;
}

let outboxId = 0;
const message = (address: string) => ({ id: `00000000-0000-4000-9000-${String(++outboxId).padStart(12, '0')}`, address, text: 'Hello *all*' });

/** Resolves once the fake connector has no open connection; fails after `timeoutMs`. */
async function connectionsClosed(timeoutMs = 1_000) {
  const deadline = Date.now() + timeoutMs;
  while (connector.openConnections() > 0) {
    if (Date.now() > deadline) throw new Error(`${connector.openConnections()} connections to the Bot Connector still open`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('stopping the Teams adapter', () => {
  it('lets a post under way have its answer, then closes its connections to the Bot Connector', async () => {
    await teams.adapter.start();
    const address = await knownChannel();
    const before = connector.calls.length;
    connector.answer({ status: 201, body: { id: 'answered-late' }, delayMs: 300 });
    const sending = teams.adapter.port.send(message(address));
    await connector.waitForCalls(before + 1);

    await teams.adapter.stop();
    await expect(sending).resolves.toEqual({ externalId: 'answered-late' });
    // Kept alive, they would stay open for undici's keep-alive timeout (4 s).
    await connectionsClosed();
  });

  it('still posts what the core sends while it drains, after the adapter stopped', async () => {
    await teams.adapter.start();
    const address = await knownChannel();
    await teams.adapter.stop();

    const before = connector.calls.length;
    await expect(teams.adapter.port.send(message(address))).resolves.toEqual({ externalId: expect.any(String) });
    expect(connector.calls.length).toBe(before + 1);
  });
});
