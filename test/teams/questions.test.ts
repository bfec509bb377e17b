import { describe, expect, it } from 'vitest';
import { t } from '../../src/core/i18n/index.js';
import { communityWithChannel, fixture, freshIds, useTeams } from './support.js';

const { teams, connector } = useTeams();

type Ids = ReturnType<typeof freshIds>;

/**
 * A channel message as Teams sends it: a new post (its thread is its own id) or, with `thread`,
 * a reply in the thread of that root post; with an @mention of the bot unless `mention: false`
 * (a bot with the ChannelMessage.Read.Group permission sees the others too).
 */
function channelMessage(ids: Ids, text: string, options: { thread?: string; mention?: boolean; from?: { aad: string; name: string } } = {}) {
  const a = fixture('channel-mention-help');
  const id = ids.activity();
  a.id = id;
  a.serviceUrl = connector.url;
  a.conversation.id = `${ids.channel};messageid=${options.thread ?? id}`;
  a.from = { ...a.from, id: `29:${options.from?.aad ?? ids.aad}`, aadObjectId: options.from?.aad ?? ids.aad, name: options.from?.name ?? a.from.name };
  if (options.mention === false) {
    a.text = text;
    a.entities = a.entities.filter((e: { type: string }) => e.type !== 'mention');
  } else a.text = `<at>Samen</at> ${text}`;
  return a;
}

describe('Teams: answering a question by a reply in its thread', () => {
  it('takes a thread reply under the bot’s post as an answer, with or without an @mention, and tells the asker in her thread', async () => {
    const ids = freshIds();
    // Without house rules or a purpose nobody is welcomed first: the threads show only answers.
    const community = await communityWithChannel(teams.h, ids.channel, { rules: undefined });
    const ask = channelMessage(ids, 'ask How do you keep volunteers motivated?');
    expect((await teams.post(ask)).status).toBe(200);
    await teams.h.flush();

    // The question went to the channel as a new post; the connector's id for it is the thread root.
    const post = connector.calls.find((c) => c.conversationId === ids.channel && String(c.activity.text).includes('Question 1'))!;
    expect(post.activity.text).toContain('How do you keep volunteers motivated?');
    expect(post.responseId).toBeDefined();
    // Eva asked in a thread of her own: she is told there where the question went.
    expect(connector.textsTo(ask.conversation.id)).toEqual([t('en', 'questions.asked', { number: 1, spaces: 1 })]);

    const bram = { aad: '00000000-0000-4000-8000-0000000b4a00', name: 'Bram Bakker' };
    const reply = channelMessage(ids, 'We thank them in public every month.', { thread: post.responseId!, from: bram });
    expect((await teams.post(reply)).status).toBe(200);
    const quiet = channelMessage(ids, 'And we give them a say in the planning.', { thread: post.responseId!, mention: false, from: { aad: '00000000-0000-4000-8000-00000000ca01', name: 'Carola' } });
    expect((await teams.post(quiet)).status).toBe(200);
    await teams.h.flush();

    // Not an unknown command "We": nothing said in the question's thread.
    expect(connector.textsTo(reply.conversation.id)).toEqual([]);
    const list = (await teams.h.api({ method: 'GET', url: `/v1/communities/${community.id}/questions` })).json() as { items: { id: string }[] };
    const detail = (await teams.h.api({ method: 'GET', url: `/v1/questions/${list.items[0]!.id}` })).json() as { answers: { number: number; text: string; author: string; via: string }[] };
    expect(detail.answers).toMatchObject([
      { number: 1, text: 'We thank them in public every month.', author: 'Bram Bakker', via: 'reply' },
      { number: 2, text: 'And we give them a say in the planning.', author: 'Carola', via: 'reply' },
    ]);

    // Eva hears of the first answer in her own thread at once; the second waits for the next notice.
    const told = connector.textsTo(ask.conversation.id).slice(1);
    expect(told).toHaveLength(1);
    expect(told[0]).toContain('1. Bram Bakker: We thank them in public every month.');
  });

  it('still answers an unknown command in a thread that is not a question’s', async () => {
    const ids = freshIds();
    await communityWithChannel(teams.h, ids.channel);
    const first = channelMessage(ids, 'help');
    await teams.post(first);
    await teams.h.flush();
    const reply = channelMessage(ids, 'halp', { thread: first.id });
    await teams.post(reply);
    await teams.h.flush();
    expect(connector.textsTo(reply.conversation.id).join('\n')).toContain('halp');
  });
});
