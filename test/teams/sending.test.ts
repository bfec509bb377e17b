import { describe, expect, it } from 'vitest';
import { ChannelDeferral, ChannelSendError } from '../../src/core/channel.js';
import { communityWithChannel, fixture, freshIds, useTeams } from './support.js';

interface Delivery {
  address: string;
  payload: { text: string };
  status: string;
  attempts: number;
  lastError: string | null;
}

let clockMs = Date.parse('2026-03-02T09:00:00Z');

// The rate limits read this clock, so a test can fill a window without waiting.
const { teams, connector } = useTeams({ now: () => clockMs, sendTimeoutMs: 1_000 });

const port = () => teams.adapter.port;

/** Posts a channel message (so the bot knows the channel), returns its thread address. */
async function say(ids: ReturnType<typeof freshIds>, text: string) {
  const a = fixture('channel-mention-help');
  const id = ids.activity();
  Object.assign(a, { id, text: `<at>Samen</at> ${text}`, serviceUrl: connector.url });
  a.conversation.id = `${ids.channel};messageid=${id}`;
  a.from.aadObjectId = ids.aad;
  expect((await teams.post(a)).status).toBe(200);
  return a.conversation.id as string;
}

/** The delivery of the answer to `help` (a member's first message also gets a welcome). */
async function helpDelivery(communityId: string): Promise<Delivery | undefined> {
  const res = await teams.h.api({ method: 'GET', url: `/v1/communities/${communityId}/deliveries` });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { items: Delivery[] }).items.find((d) => d.payload.text.includes('*help*'));
}

/** A member's first message, and its welcome, sent and out of the way. */
async function introduce(ids: ReturnType<typeof freshIds>) {
  await say(ids, 'hello');
  await teams.h.flush();
}

let outboxId = 0;
const message = (address: string, extra: Record<string, unknown> = {}) => ({ id: `00000000-0000-4000-8000-${String(++outboxId).padStart(12, '0')}`, address, text: 'Hello *all*', ...extra });

describe('sending to Teams', () => {
  it('waits for Teams 429 Retry-After, then delivers', async () => {
    const ids = freshIds();
    const community = await communityWithChannel(teams.h, ids.channel);
    await introduce(ids);
    connector.answer({ status: 429, headers: { 'retry-after': '3' }, body: { error: { code: 'Throttled', message: 'Too many requests' } } });
    const thread = await say(ids, 'help');
    const before = connector.calls.length;

    await teams.h.flush();
    // One post, no hidden retries inside the SDK.
    expect(connector.calls.length - before).toBe(1);
    const waiting = await helpDelivery(community.id);
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1 });
    expect(waiting!.lastError).toMatch(/429.*3000 ms/);

    teams.h.clock.advance(2_000);
    await teams.h.flush();
    expect(connector.calls.length - before).toBe(1);

    teams.h.clock.advance(1_000);
    await teams.h.flush();
    const delivered = await helpDelivery(community.id);
    expect(delivered).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(connector.textsTo(thread)).toHaveLength(2);
  });

  it('records a 403 as a permanent failure with the reason, without retrying', async () => {
    const ids = freshIds();
    const community = await communityWithChannel(teams.h, ids.channel);
    await introduce(ids);
    connector.answer({ status: 403, body: { error: { code: 'BotNotInConversationRoster', message: 'The bot is not part of the conversation roster.' } } });
    const thread = await say(ids, 'help');
    await teams.h.flush();
    teams.h.clock.advance(60 * 60_000);
    await teams.h.flush();
    const failed = await helpDelivery(community.id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    expect(failed!.lastError).toMatch(/403.*never installed.*not part of the conversation roster/);
    expect(connector.textsTo(thread)).toHaveLength(1);
  });

  it('retries a post that may have landed (a 5xx) once, and then gives up saying why', async () => {
    const ids = freshIds();
    await say(ids, 'hello');
    const address = `teams:${ids.channel}`;
    const m = message(address);
    connector.answer({ status: 500 }, { status: 502 });
    const first = await port().send(m).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(ChannelSendError);
    expect(first).toMatchObject({ retryable: true, message: expect.stringMatching(/500.*may have been posted.*once more/) });
    const second = await port().send(m).catch((e: unknown) => e);
    expect(second).toMatchObject({ retryable: false, message: expect.stringMatching(/502.*could post it twice/) });
  });

  it('treats a connector that does not answer in time as a possible post, retried once', async () => {
    const ids = freshIds();
    await say(ids, 'hello');
    connector.answer('hang');
    const error = await port().send(message(`teams:${ids.channel}`)).catch((e: unknown) => e);
    expect(error).toMatchObject({ retryable: true, message: expect.stringMatching(/no answer.*may have been posted/) });
  });

  it('treats a connection closed before the answer as a possible post, and one refused as never sent', async () => {
    const ids = freshIds();
    await say(ids, 'hello');
    connector.answer('drop');
    const dropped = await port().send(message(`teams:${ids.channel}`)).catch((e: unknown) => e);
    expect(dropped).toMatchObject({ retryable: true, message: expect.stringMatching(/no answer.*may have been posted.*once more/) });

    // A conversation whose service URL nobody listens at: the post never left.
    const closed = freshIds();
    const a = fixture('channel-mention-help');
    Object.assign(a, { id: closed.activity(), text: '<at>Samen</at> hello', serviceUrl: 'http://127.0.0.1:9/' });
    a.conversation.id = closed.channel;
    a.from.aadObjectId = closed.aad;
    expect((await teams.post(a)).status).toBe(200);
    const refused = await port().send(message(`teams:${closed.channel}`)).catch((e: unknown) => e);
    expect(refused).toMatchObject({ retryable: true, message: expect.stringMatching(/cannot be reached/) });
    expect((refused as Error).message).not.toMatch(/may have been posted/);
  });

  it('holds the 8th message in one second back, and the 61st in 30 seconds', async () => {
    const ids = freshIds();
    await say(ids, 'hello');
    const address = `teams:${ids.channel}`;
    for (let i = 0; i < 7; i++) await port().send(message(address));
    const held = await port().send(message(address)).catch((e: unknown) => e);
    expect(held).toBeInstanceOf(ChannelDeferral);
    expect((held as ChannelDeferral).retryAfterMs).toBeGreaterThan(0);
    expect((held as ChannelDeferral).retryAfterMs).toBeLessThanOrEqual(1_000);

    // 60 in 30 s: 7 a second for 8 more seconds reaches 60 (7 + 53).
    let sent = 7;
    for (let s = 1; sent < 60; s++) {
      clockMs += 1_000;
      for (let i = 0; i < 7 && sent < 60; i++, sent++) await port().send(message(address));
    }
    clockMs += 1_000;
    const capped = await port().send(message(address)).catch((e: unknown) => e);
    expect(capped).toBeInstanceOf(ChannelDeferral);
    expect((capped as ChannelDeferral).retryAfterMs).toBeGreaterThan(1_000);
    // Another conversation is not held back by this one.
    const other = freshIds();
    await say(other, 'hello');
    await expect(port().send(message(`teams:${other.channel}`))).resolves.toMatchObject({ externalId: expect.any(String) });
    clockMs += 30_000;
  });

  it('keeps a message to a conversation the bot has not seen waiting, saying why', async () => {
    const error = await port().send(message('teams:19:never-seen@thread.tacv2')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelDeferral);
    expect((error as ChannelDeferral).message).toBe('waiting for the first activity from this conversation (no conversation reference yet)');
  });

  it('sends with a reference the REST API stored from serviceUrl and tenantId', async () => {
    const conversation = `19:rest-${Date.now()}@thread.tacv2`;
    await teams.h.core.references.put(`teams:${conversation}`, 'teams', {
      serviceUrl: connector.url,
      conversation: { id: conversation, tenantId: 'tenant-1' },
      channelId: 'msteams',
      source: 'rest',
    });
    await port().send(message(`teams:${conversation}`));
    const [call] = connector.calls.filter((c) => c.conversationId === conversation);
    expect(call!.activity).toMatchObject({ type: 'message', text: 'Hello **all**', conversation: { id: conversation }, channelData: { tenant: { id: 'tenant-1' } } });
  });

  it('shows buttons as an Adaptive Card whose buttons carry their command', async () => {
    const ids = freshIds();
    await say(ids, 'hello');
    await port().send(
      message(`teams:${ids.channel}`, {
        text: 'Do you accept the house rules?',
        actions: [
          { label: 'Accept', command: 'accept' },
          { label: 'Read them', command: 'rules' },
        ],
      }),
    );
    const [call] = connector.calls.filter((c) => c.conversationId === ids.channel);
    const card = call!.activity.attachments[0];
    expect(card.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card.content.body[0].text).toBe('Do you accept the house rules?');
    expect(card.content.actions).toEqual([
      { type: 'Action.Submit', title: 'Accept', data: { samen: 'accept' } },
      { type: 'Action.Submit', title: 'Read them', data: { samen: 'rules' } },
    ]);
  });

  it('declares cards and a Teams-sized text limit', () => {
    expect(port().capabilities).toMatchObject({ cards: true, nativePolls: false });
    expect(port().capabilities.maxTextLength).toBeGreaterThan(20_000);
  });
});
