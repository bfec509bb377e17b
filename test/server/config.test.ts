import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('configuration', () => {
  it('starts with no environment at all: port 3000, PGlite under ./data, a generated admin token', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      databaseUrl: null,
      dataDir: path.resolve('data'),
      adminToken: null,
      logLevel: 'info',
      publicUrl: 'http://localhost:3000',
    });
  });

  it('uses PostgreSQL when DATABASE_URL is set', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/samen' }).databaseUrl).toBe('postgres://u:p@db:5432/samen');
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ ADMIN_TOKEN: 'short' }, 'ADMIN_TOKEN'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ PUBLIC_URL: 'ftp://example.org' }, 'PUBLIC_URL'],
    [{ RATE_LIMIT_PER_MINUTE: '-1' }, 'RATE_LIMIT_PER_MINUTE'],
    [{ DATA_DIR: '/dev/null/x' }, 'DATA_DIR'],
  ])('refuses %o with a message naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^${variable} `));
  });

  it('leaves DATA_DIR unchecked when PostgreSQL is used, and creates nothing when checking it', () => {
    expect(loadConfig({ DATA_DIR: '/dev/null/x', DATABASE_URL: 'postgres://db/samen' }).dataDir).toBe('/dev/null/x');
    const missing = path.join(tmpdir(), `samen-config-${process.pid}`, 'not', 'yet');
    expect(loadConfig({ DATA_DIR: missing }).dataDir).toBe(missing);
    expect(existsSync(path.dirname(path.dirname(missing)))).toBe(false);
  });

  it('drops a trailing slash from PUBLIC_URL so links can be built from it', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://samen.example.org/' }).publicUrl).toBe('https://samen.example.org');
  });
});
