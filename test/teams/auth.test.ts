import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppCredentials } from 'botframework-connector';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, freshIds, startFakeConnector, startTeams, type FakeConnector } from './support.js';

const APP_ID = '3f1d2c4b-5a69-4788-9a0b-1c2d3e4f5a6b';
const ISSUER = 'https://api.botframework.com';
const KID = 'test-key-1';

let openId: Server;
let teams: Awaited<ReturnType<typeof startTeams>>;
let connector: FakeConnector;
let signingKey: CryptoKey;
let strangerKey: CryptoKey;

/** Serves an OpenID metadata document and its key set, as login.botframework.com does. */
async function serveOpenId(jwk: Record<string, unknown>) {
  const server = createServer((req, res) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (req.url === '/v1/.well-known/openidconfiguration') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer: ISSUER, jwks_uri: `${base}/v1/.well-known/keys`, id_token_signing_alg_values_supported: ['RS256'] }));
    } else if (req.url === '/v1/.well-known/keys') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [{ ...jwk, kid: KID, use: 'sig', endorsements: ['msteams'] }] }));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true });
  signingKey = pair.privateKey;
  strangerKey = (await generateKeyPair('RS256')).privateKey;
  openId = await serveOpenId((await exportJWK(pair.publicKey)) as Record<string, unknown>);
  connector = await startFakeConnector();
  const metadata = `http://127.0.0.1:${(openId.address() as AddressInfo).port}/v1/.well-known/openidconfiguration`;
  teams = await startTeams({ authEndpoints: { openIdMetadataUrl: metadata } }, { MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'not-a-real-secret' });
});
afterAll(async () => {
  await teams.h.close();
  await connector.close();
  await new Promise((resolve) => openId.close(resolve));
});

/** A token as Teams' Bot Connector signs it; `claims` and `key` change what is wrong with it. */
function token({ claims = {}, key = signingKey, expires = '1h' }: { claims?: Record<string, unknown>; key?: CryptoKey; expires?: string | number } = {}) {
  return new SignJWT({ serviceurl: connector.url, ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: KID, typ: 'JWT' })
    .setIssuer(ISSUER)
    .setAudience((claims.aud as string | undefined) ?? APP_ID)
    .setIssuedAt(Math.floor(Date.now() / 1000) - 60)
    .setExpirationTime(expires)
    .sign(key);
}

function personalMessage() {
  const ids = freshIds();
  const a = fixture('personal-message');
  a.id = ids.activity();
  a.serviceUrl = connector.url;
  a.conversation.id = ids.personal;
  return a;
}

/** Whether the activity reached the bot: every activity it handles leaves a conversation reference. */
const handled = async (a: Record<string, any>) => (await teams.h.core.references.get(`teams:${a.conversation.id}`)) !== null;

describe('authentication with an app id', () => {
  it('handles a request with a valid Bot Framework token', async () => {
    const a = personalMessage();
    const res = await teams.post(a, { authorization: `Bearer ${await token()}` });
    expect(res.status).toBe(200);
    expect(await handled(a)).toBe(true);
  });

  const refusals: [string, () => Promise<Record<string, string>>][] = [
    ['no token', async () => ({})],
    ['a token for another app (wrong audience)', async () => ({ authorization: `Bearer ${await token({ claims: { aud: '99999999-9999-4999-8999-999999999999' } })}` })],
    ['an expired token', async () => ({ authorization: `Bearer ${await token({ expires: Math.floor(Date.now() / 1000) - 3600 })}` })],
    ['a token for another serviceUrl', async () => ({ authorization: `Bearer ${await token({ claims: { serviceurl: 'https://smba.trafficmanager.net/amer/' } })}` })],
    ['a token signed with a key Teams does not publish', async () => ({ authorization: `Bearer ${await token({ key: strangerKey })}` })],
    ['something that is not a token', async () => ({ authorization: 'Bearer not.a.token' })],
  ];
  it.each(refusals)('refuses %s with 401 and does not handle the activity', async (_name, headers) => {
    const a = personalMessage();
    const res = await teams.post(a, await headers());
    expect(res.status).toBe(401);
    expect(res.contentType).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 401, code: 'unauthorized' });
    expect(await handled(a)).toBe(false);
  });

  it('posts its replies with the token Microsoft gave the bot for this app id', async () => {
    // The token botbuilder's credentials got from login.microsoftonline.com, as it caches it
    // (the login service itself is outside this machine); the post must carry it.
    (AppCredentials as unknown as { cache: Map<string, unknown> }).cache.set(`${APP_ID}https://api.botframework.com-cache`, { accessToken: 'token-from-microsoft-login', expiresOn: new Date(Date.now() + 3_600_000) } as never);
    const a = personalMessage();
    a.text = 'help';
    const before = connector.calls.length;
    expect((await teams.post(a, { authorization: `Bearer ${await token()}` })).status).toBe(200);
    await teams.h.core.dispatcher.runOnce();
    await connector.waitForCalls(before + 1);
    const reply = connector.calls.slice(before).find((c) => c.conversationId === a.conversation.id);
    expect(reply?.authorization).toBe('Bearer token-from-microsoft-login');
  });

  it('takes requests from any address, not only loopback', async () => {
    const a = personalMessage();
    const res = await teams.h.app.inject({
      method: 'POST',
      url: '/api/messages',
      remoteAddress: '52.112.0.10',
      headers: { authorization: `Bearer ${await token()}` },
      payload: a,
    });
    expect(res.statusCode).toBe(200);
  });

  it('reports itself ready with its app id', () => {
    expect(teams.adapter.port.status?.()).toMatchObject({ state: 'ready', account: APP_ID });
  });
});
