import { eq } from 'drizzle-orm';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { AdapterCore } from '../../src/adapter.js';
import type { Core } from '../../src/core/index.js';
import { inboundMessages } from '../../src/db/schema/index.js';
import { engine } from '../helpers/database.js';
import { seedCommunity } from '../helpers/harness.js';
import { queuePayloads } from '../helpers/conversation.js';
import { message, messageWith, notification, vote } from './fake-client.js';
import { createWhatsAppHarness, type WhatsAppHarness } from './setup.js';
import type { WhatsAppConfig } from '../../adapters/whatsapp/index.js';

const GROUP = '120363000000000001@g.us';

/** What postgres.js throws when the database server does not answer. */
const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED', errno: -111, syscall: 'connect' });

/**
 * The real core, as the adapter sees it, behind a database that can go away: while `down`, every
 * call fails as a refused connection would; `hang` makes calls never return; `failAfter` lets
 * the next call through and then fails it, as when the connection drops after the commit.
 */
function flakyDatabase() {
  const db = { down: false, hang: false, failAfter: 0 };
  const guard = async <T>(call: () => Promise<T>): Promise<T> => {
    if (db.hang) return new Promise<never>(() => {});
    if (db.down) throw refused();
    const result = await call();
    if (db.failAfter > 0 && db.failAfter--) throw refused();
    return result;
  };
  const wrap = (core: Core): AdapterCore => ({
    references: { get: (address) => guard(() => core.references.get(address)), put: (...args) => guard(() => core.references.put(...args)) },
    receive: (message) => guard(() => core.receive(message)),
    receiveEvent: (event) => guard(() => core.receiveEvent(event)),
  });
  return Object.assign(db, { wrap });
}

type LogLine = { level: number; msg: string; [key: string]: unknown };

describe(`WhatsApp: a message the core could not take is retried (${engine()})`, { timeout: 60_000 }, () => {
  let w: WhatsAppHarness;
  let db: ReturnType<typeof flakyDatabase>;
  let logs: LogLine[];
  afterEach(async () => {
    db.down = db.hang = false;
    await w?.close();
  });

  async function start(config: Partial<WhatsAppConfig> = {}) {
    db = flakyDatabase();
    logs = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) });
    w = await createWhatsAppHarness(config, { core: db.wrap, logger });
    await seedCommunity(w.h, { language: 'en', rules: '1. Be kind.' }, GROUP);
  }

  /** What the bot sent to the group, once every queued reply went out. */
  async function replies() {
    await w.drain();
    return w.client.textsTo(GROUP);
  }

  const recorded = async (externalId: string) =>
    (await w.h.database.db.select().from(inboundMessages).where(eq(inboundMessages.externalId, externalId))).length;

  /** Moves the fake time on and waits for the retries it set off. */
  async function after(ms: number) {
    await w.vt.advance(ms);
    await w.adapter.idle();
  }

  /** A member writes `body` in the group while the database is away. */
  async function writtenWhileDown(body = '/help') {
    db.down = true;
    const msg = messageWith('group-message', { body });
    await w.emit('message', msg);
    return msg;
  }

  /** The error line naming what was given up. */
  const givenUp = (messageId: string) => expect.objectContaining({ items: [expect.objectContaining({ messageId })] });

  const logged = (level: 'info' | 'warn' | 'error', text: string) => logs.filter((l) => l.level === pino.levels.values[level] && l.msg.includes(text));

  it('answers a member whose message came while the database was away, once it is back', async () => {
    await start();
    const help = await writtenWhileDown();
    expect(await replies()).toEqual([]);
    expect(logged('warn', 'waits for a retry')).toEqual([expect.objectContaining({ messageId: help.id._serialized, waiting: 1 })]);

    await after(1_000); // the first retry (0.5–1 s): still down
    db.down = false;
    await after(1_000); // the back-off doubled: 1–2 s, not yet
    expect(await recorded(help.id._serialized)).toBe(0);
    await after(1_000);
    expect((await replies()).filter((r) => r.includes('Commands for'))).toHaveLength(1);
    expect(await recorded(help.id._serialized)).toBe(1);
    expect(logged('info', 'backlog handled')).toEqual([expect.objectContaining({ retried: 1 })]);

    // Nothing more comes of it later.
    await after(5 * 60_000);
    expect((await replies()).filter((r) => r.includes('Commands for'))).toHaveLength(1);
  });

  it('has one effect for a message the core took before the connection dropped', async () => {
    await start();
    const rules = messageWith('group-message', { body: '/rules' });
    const help = messageWith('group-message', { body: '/help' });
    db.failAfter = 1; // committed, then the connection drops: the adapter cannot know
    await w.emit('message', rules);
    db.down = true; // and this one never reached the core
    await w.emit('message', help);
    db.down = false;
    await after(1_000);
    const sent = await replies();
    expect(sent.filter((r) => r.includes('Be kind'))).toHaveLength(1);
    expect(sent.filter((r) => r.includes('Commands for'))).toHaveLength(1);
    expect(await recorded(rules.id._serialized)).toBe(1);
    expect(await recorded(help.id._serialized)).toBe(1);
  });

  it("keeps a chat's messages in the order they were written, also those that came after the database was back", async () => {
    await start();
    await writtenWhileDown('/rules');
    db.down = false;
    // Written after the outage, but after the one still waiting: it waits its turn.
    await w.emit('message', messageWith('group-message', { body: '/help' }));
    expect(await replies()).toEqual([]);
    await after(1_000);
    const sent = (await replies()).filter((r) => r.includes('Be kind') || r.includes('Commands for'));
    expect(sent.map((r) => (r.includes('Commands for') ? 'help' : 'rules'))).toEqual(['rules', 'help']);
  });

  it('answers a direct message that came while the database was away, and remembers the person wrote first', async () => {
    await start();
    const direct = message('direct-message');
    db.down = true;
    await w.emit('message', direct);
    db.down = false;
    await after(1_000);
    await w.drain();
    expect(w.client.textsTo(direct.from)).toHaveLength(1);
    // Never a cold contact, also after a restart: the note was stored on the retry.
    expect(await w.h.core.references.get(`whatsapp:${direct.from}`)).toMatchObject({ wroteToBot: true });
  });

  it('welcomes someone who joined while the database was away', async () => {
    await start();
    db.down = true;
    await w.emit('group_join', notification('group-join'));
    db.down = false;
    await after(1_000);
    const welcome = (await replies()).join('\n');
    expect(welcome).toContain('Dewi');
    expect(await recorded(`event:${notification('group-join').id._serialized}`)).toBe(1);
  });

  it('runs the option of a poll vote that came while the database was away, naming it from the poll it sent', async () => {
    await start();
    await queuePayloads(w.h, `whatsapp:${GROUP}`, [{ text: 'Poll', poll: { question: 'Q?', options: [{ label: 'Yes', command: 'rules' }, { label: 'No', command: 'help' }] } }]);
    await w.drain();
    const poll = w.client.sent.at(-1)!;
    await w.restartAdapter(); // the option names are now only in the database
    db.down = true;
    await w.emit('vote_update', vote(poll.id, [], { selectedOptions: [{ name: undefined, localId: 0 }], parentMessage: null, interractedAtTs: 99 }));
    db.down = false;
    await after(1_000);
    expect((await replies()).filter((r) => r.includes('Be kind'))).toHaveLength(1);
  });

  it('drops the newest when the backlog is full, naming it, and answers the ones that waited', async () => {
    await start({ inboundRetryMax: 2 });
    db.down = true;
    const [first, second, third] = ['/rules', '/help', '/rules'].map((body) => messageWith('group-message', { body }));
    for (const msg of [first!, second!, third!]) await w.emit('message', msg);
    expect(logged('error', 'given up')).toEqual([
      expect.objectContaining({ dropped: 1, items: [expect.objectContaining({ messageId: third!.id._serialized, chat: GROUP })] }),
    ]);
    db.down = false;
    await after(1_000);
    expect(await recorded(first!.id._serialized)).toBe(1);
    expect(await recorded(second!.id._serialized)).toBe(1);
    expect(await recorded(third!.id._serialized)).toBe(0);
  });

  it('gives up after the configured time, naming what it gave up', async () => {
    await start({ inboundRetryMinutes: 10 });
    const help = await writtenWhileDown();
    await after(9 * 60_000);
    expect(logged('error', 'given up')).toEqual([]);
    await after(2 * 60_000);
    expect(logged('error', 'given up')).toEqual([givenUp(help.id._serialized)]);
    db.down = false;
    await after(5 * 60_000);
    expect(await recorded(help.id._serialized)).toBe(0);
  });

  it('gives what waits one last try on stop', async () => {
    await start();
    const help = await writtenWhileDown();
    db.down = false;
    await w.adapter.stop(); // before the retry was due
    expect(await recorded(help.id._serialized)).toBe(1);
  });

  it('does not hang on stop while the database is still away, and names what is lost', async () => {
    await start();
    const help = await writtenWhileDown();
    const before = logs.length;
    await w.adapter.stop();
    expect(w.adapter.port.status().state).toBe('off');
    expect(logs.slice(before).filter((l) => l.msg.includes('given up'))).toEqual([givenUp(help.id._serialized)]);

    // Nor when the last try itself gets no answer: it is waited for 5 s.
    await w.restartAdapter();
    await writtenWhileDown('/rules');
    db.hang = true;
    let stopped = false;
    const stopping = w.adapter.stop().then(() => (stopped = true));
    for (let i = 0; i < 10 && !stopped; i++) await w.vt.advance(1_000);
    await stopping;
    expect(stopped).toBe(true);
  });
});
