import {
  ChannelSendError,
  type ChannelName,
  type ChannelPort,
  type OutboundMessage,
} from '../../src/core/channel.js';

/**
 * A channel adapter for tests: records what it sends, and fails on demand the way a platform
 * would (a retryable error, a permanent one, or a send that never returns).
 */
export function createTestAdapter(channel: ChannelName = 'whatsapp') {
  const sent: (OutboundMessage & { at: number })[] = [];
  const failures: (ChannelSendError | 'hang')[] = [];
  let counter = 0;

  const port: ChannelPort = {
    channel,
    capabilities: { maxTextLength: 4096, cards: false, nativePolls: false },
    async send(message) {
      const failure = failures.shift();
      if (failure === 'hang') return new Promise<never>(() => {});
      if (failure) throw failure;
      sent.push({ ...message, at: Date.now() });
      return { externalId: `${channel}-sent-${++counter}` };
    },
    // Teams shows replies in a channel as a thread under the root post, as the real adapter does.
    ...(channel === 'teams' && {
      threadAddress: (address: string, root: string) =>
        !address.endsWith('@thread.tacv2') && !address.includes(';messageid=') ? null : address.includes(';messageid=') ? address : `${address};messageid=${root}`,
    }),
  };

  return {
    port,
    sent,
    /** Texts sent to one address, in order. */
    textsTo: (address: string) => sent.filter((m) => m.address === address).map((m) => m.text),
    failNext(times: number, retryable: boolean, reason = 'platform said no', retryAfterMs?: number) {
      for (let i = 0; i < times; i++) failures.push(new ChannelSendError(reason, retryable, retryAfterMs));
    },
    /** The next send never settles: the process "crashed" mid-send. */
    hangNext() {
      failures.push('hang');
    },
  };
}

export type TestAdapter = ReturnType<typeof createTestAdapter>;
