import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { scrubError } from '../../src/logger.js';

describe('error logs', () => {
  it('keep the values of a failed query out of the log', () => {
    const cause = Object.assign(new Error('null value in column "x"'), {
      code: '23502',
      detail: 'Failing row contains (Anna de Vries, 0612345678)',
      parameters: ['Anna de Vries', '0612345678'],
    });
    const error = new Error('Failed query: insert into "members" ("display_name") values ($1)\nparams: Anna de Vries,0612345678', { cause });
    let line = '';
    const logger = pino({ serializers: { err: scrubError } }, new Writable({ write: (chunk, _e, done) => ((line += chunk), done()) }));
    logger.error({ err: error }, 'inbound message failed');
    expect(line).toContain('Failed query: insert into');
    expect(line).toContain('"sqlState":"23502"');
    expect(line).not.toContain('Anna');
    expect(line).not.toContain('0612345678');
  });
});
