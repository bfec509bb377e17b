import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { groupMessage, seedCommunity, type Harness } from '../helpers/harness.js';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  requestId?: string;
  errors?: { path: string; message: string }[];
}

/**
 * Asserts an RFC 9457 problem response: the status, our stable code, the media type, a request
 * id to quote, and nothing from inside the server (no stack trace, no file names).
 */
export function expectProblem(res: LightMyRequestResponse, status: number, code: string): ProblemBody {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = res.json() as ProblemBody;
  expect(body).toMatchObject({ status, code, type: `urn:samen:problem:${code}` });
  expect(body.requestId).toEqual(expect.any(String));
  expect(body.requestId).not.toBe('');
  expect(res.body).not.toMatch(/\bstack\b|\bat \S+ \(|\.ts:\d+|node_modules/i);
  return body;
}

/** Asserts a 400 validation problem that names `field` (e.g. "body/slug") among its errors. */
export function expectValidation(res: LightMyRequestResponse, field: string): ProblemBody {
  const body = expectProblem(res, 400, 'validation');
  expect(body.errors?.map((e) => e.path)).toContain(field);
  for (const error of body.errors ?? []) expect(error.message).not.toBe('');
  return body;
}

/** A WhatsApp group id no other test in the file uses. */
export const newGroup = () => `1203630${randomUUID().replace(/\D/g, '').slice(0, 12)}@g.us`;

/** A community with one linked WhatsApp group of its own. */
export async function seed(h: Harness, fields: Record<string, unknown> = {}) {
  return seedCommunity(h, fields, newGroup());
}

/** Makes someone a member by having them write in a linked group; returns their member id. */
export async function memberWhoWrites(h: Harness, group: string, sender: string, text = 'Goedemorgen allemaal') {
  const result = await h.core.receive(groupMessage(group, sender, text));
  expect(result.status).toBe('processed');
  return result.memberId!;
}

/** Issues a manager token for one community and returns its secret. */
export async function managerToken(h: Harness, communityId: string, name = 'community manager') {
  const res = await h.api({ method: 'POST', url: '/v1/tokens', payload: { name, communityId } });
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { token: string }).token;
}
