// The load generator and fake Bot Connector of bench/teams, in a worker thread of its own so its
// HTTP does not share the server's event loop (Teams is another machine, after all); over plain
// sockets (http-lean.mjs), so that it takes little of the machine's CPU.
import { readlinkSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { connect, fakeConnector } from './http-lean.mjs';

const { endpoint, n, concurrency, rate, seconds, channels, members, warmup } = workerData;
const now = () => performance.timeOrigin + performance.now();
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
const ms = (v) => (v === undefined ? null : +v.toFixed(2));

const replyAt = new Map();
const replyWaiters = new Map();
let connectorCalls = 0;
const connector = await fakeConnector((method, path) => {
  const at = now();
  connectorCalls++;
  const match = /^\/v3\/conversations\/([^/]+)\/activities/.exec(path);
  if (match) {
    const conversation = decodeURIComponent(match[1]);
    replyAt.set(conversation, at);
    replyWaiters.get(conversation)?.();
  }
});
const serviceUrl = `http://127.0.0.1:${connector.port}/`;

let seq = 0;
function activity(member) {
  const id = `${Date.now()}${++seq}`;
  const thread = `19:bench${member % channels}@thread.tacv2;messageid=${id}`;
  return {
    thread,
    body: JSON.stringify({
      type: 'message',
      id,
      text: '<at>Samen</at> help',
      channelId: 'msteams',
      serviceUrl,
      timestamp: new Date().toISOString(),
      from: { id: `29:member-${member}`, name: `Member ${member}`, aadObjectId: `00000000-0000-4000-8000-${String(member).padStart(12, '0')}` },
      recipient: { id: '28:bench-bot', name: 'Samen' },
      conversation: { id: thread, conversationType: 'channel', isGroup: true, tenantId: 'bench-tenant' },
      entities: [{ type: 'mention', text: '<at>Samen</at>', mentioned: { id: '28:bench-bot', name: 'Samen' } }],
      channelData: { tenant: { id: 'bench-tenant' } },
      locale: 'en-GB',
    }),
  };
}

// Keep-alive connections to the server, one request at a time each (as Teams' own are).
const idle = [];
const open = new Set();
async function post(body) {
  const connection = idle.pop() ?? (await connect(endpoint));
  open.add(connection);
  const status = await connection.post(body);
  idle.push(connection);
  if (status !== 200) throw new Error(`/api/messages answered ${status}`);
}
const sleep = (t) => new Promise((resolve) => setTimeout(resolve, t));

// Warm-up: every member's first contact (and its welcome), every channel's first reference; then
// `warmup` more activities, 64 at a time, so V8 has compiled the hot code (as in a server that has
// been running a while) before anything is measured.
for (let i = 0; i < Math.max(members, channels); i++) await post(activity(i % members).body);
let warmed = 0;
await Promise.all(
  Array.from({ length: 64 }, async () => {
    while (warmed < warmup) await post(activity(warmed++ % members).body);
  }),
);
await sleep(3_000);

// 1. Throughput, closed loop. The main thread samples CPU time at the marks, so the cost of an
// activity (taking it in and sending its reply) can be given apart from how busy the machine is.
const callsBefore = connectorCalls;
// This thread's id (Linux), so the main thread can tell its CPU time apart from the server's.
parentPort.postMessage({ mark: 'burst', thread: readlinkSync('/proc/thread-self').split('/').pop() });
let next = 0;
const started = now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < n) {
      next++;
      await post(activity(next % members).body);
    }
  }),
);
const perSecond = Math.round(n / ((now() - started) / 1000));
// Let the burst's replies go out before measuring latency; how long that took is the throughput
// with the replies included (the dispatcher may still be sending when the last answer came).
const deadline = Date.now() + 120_000;
while (connectorCalls < callsBefore + n && Date.now() < deadline) await sleep(5);
const repliedPerSecond = connectorCalls >= callsBefore + n ? Math.round(n / ((now() - started) / 1000)) : null;
parentPort.postMessage({ mark: 'replied' });
await sleep(1_000);

// 2. Latency at a steady rate, open loop.
const total = rate * seconds;
const answers = [];
const roundTrips = [];
const pending = [];
const t0 = now();
for (let i = 0; i < total; i++) {
  const wait = t0 + (i * 1000) / rate - now();
  if (wait > 1) await sleep(wait);
  const { thread, body } = activity(i % members);
  const sent = now();
  const replied = new Promise((resolve) => replyWaiters.set(thread, resolve));
  pending.push(
    post(body).then(async () => {
      answers.push(now() - sent);
      await Promise.race([replied, sleep(30_000)]);
      const at = replyAt.get(thread);
      if (at !== undefined) roundTrips.push(at - sent);
      replyWaiters.delete(thread);
    }),
  );
}
await Promise.all(pending);
const achievedRate = Math.round(total / ((now() - t0) / 1000));
answers.sort((a, b) => a - b);
roundTrips.sort((a, b) => a - b);
for (const connection of open) connection.close();
connector.close();
parentPort.postMessage({
  throughput: { activities: n, concurrency, perSecond, repliedPerSecond },
  steady: {
    rate,
    achievedRate,
    activities: total,
    answerP50ms: ms(percentile(answers, 0.5)),
    answerP99ms: ms(percentile(answers, 0.99)),
    replies: roundTrips.length,
    requestToReplyP50ms: ms(percentile(roundTrips, 0.5)),
    requestToReplyP99ms: ms(percentile(roundTrips, 0.99)),
  },
});
