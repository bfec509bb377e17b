// The load side of bench/teams speaks HTTP/1.1 over plain sockets, as wrk does: Teams is another
// machine, and Node's own HTTP client and server (a quarter of a millisecond of CPU per activity
// for the two exchanges) would take that much of the two cores away from the server under test.
// Just enough HTTP for this bench: keep-alive, Content-Length bodies, one request at a time per
// connection. The server's side is untouched: Node's HTTP server (Fastify) and client (connector.ts).
import net from 'node:net';

const HEADER_END = Buffer.from('\r\n\r\n');

/**
 * Reads HTTP/1.1 messages off a socket: calls `onMessage(head, body)` for each, the head as text
 * (start line and headers), the body as a Buffer (Content-Length only; chunked is refused).
 */
function reader(socket, onMessage) {
  let buffered = Buffer.alloc(0);
  socket.on('data', (chunk) => {
    buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
    for (;;) {
      const end = buffered.indexOf(HEADER_END);
      if (end < 0) return;
      const head = buffered.toString('latin1', 0, end);
      if (/\r\ntransfer-encoding:/i.test(head)) return socket.destroy(new Error(`a chunked message, which this bench does not read: ${head.split('\r\n')[0]}`));
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
      const total = end + HEADER_END.length + length;
      if (buffered.length < total) return;
      const body = buffered.subarray(end + HEADER_END.length, total);
      buffered = buffered.subarray(total);
      onMessage(head, body);
    }
  });
}

/** A keep-alive connection that POSTs one body at a time; resolves to the answer's status code. */
export async function connect(endpoint) {
  const url = new URL(endpoint);
  const socket = net.connect({ host: url.hostname, port: Number(url.port), noDelay: true });
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const prefix = `POST ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nContent-Length: `;
  let waiting = null;
  reader(socket, (head) => {
    const done = waiting;
    waiting = null;
    done?.resolve(Number(head.slice(9, 12)));
  });
  socket.on('error', (error) => waiting?.reject(error));
  socket.on('close', () => waiting?.reject(new Error('the server closed the connection')));
  return {
    post(body) {
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject };
        socket.write(`${prefix}${Buffer.byteLength(body)}\r\n\r\n${body}`);
      });
    },
    close: () => socket.destroy(),
  };
}

/**
 * A fake Bot Connector: answers every request 201 with an activity id, and tells `onRequest` the
 * method and path of each (once its body has arrived).
 */
export async function fakeConnector(onRequest) {
  let calls = 0;
  const sockets = new Set();
  const server = net.createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    reader(socket, (head) => {
      const [method, path] = head.slice(0, head.indexOf('\r\n')).split(' ');
      onRequest(method, path);
      const body = `{"id":"r${++calls}"}`;
      socket.write(`HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    close() {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}
