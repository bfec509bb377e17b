import { describe, expect, it } from 'vitest';
import { loadTeamsConfig } from '../../adapters/teams/config.js';
import { ConfigError } from '../../src/env.js';

const APP_ID = '3f1d2c4b-5a69-4788-9a0b-1c2d3e4f5a6b';

describe('Teams settings', () => {
  it('runs in local mode without an app id, at 50 requests a second', () => {
    expect(loadTeamsConfig({})).toEqual({ appId: null, appPassword: null, appType: 'MultiTenant', tenantId: null, appRatePerSecond: 50 });
  });

  it('reads a single-tenant registration', () => {
    expect(
      loadTeamsConfig({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 's3cret', MICROSOFT_APP_TYPE: 'singletenant', MICROSOFT_APP_TENANT_ID: 'contoso.onmicrosoft.com', TEAMS_APP_RATE_PER_SECOND: '20' }),
    ).toMatchObject({ appId: APP_ID, appType: 'SingleTenant', tenantId: 'contoso.onmicrosoft.com', appRatePerSecond: 20 });
  });

  const bad: [string, Record<string, string>, RegExp][] = [
    ['an app id that is no GUID', { MICROSOFT_APP_ID: 'my-bot', MICROSOFT_APP_PASSWORD: 'x' }, /^MICROSOFT_APP_ID /],
    ['an app id without a password', { MICROSOFT_APP_ID: APP_ID }, /^MICROSOFT_APP_PASSWORD /],
    ['a password without an app id', { MICROSOFT_APP_PASSWORD: 'x' }, /^MICROSOFT_APP_PASSWORD .*MICROSOFT_APP_ID/],
    ['an unknown app type', { MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'x', MICROSOFT_APP_TYPE: 'Personal' }, /^MICROSOFT_APP_TYPE .*MultiTenant, SingleTenant, UserAssignedMSI/],
    ['single tenant without a tenant', { MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'x', MICROSOFT_APP_TYPE: 'SingleTenant' }, /^MICROSOFT_APP_TENANT_ID /],
    ['a tenant that is neither id nor domain', { MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'x', MICROSOFT_APP_TENANT_ID: 'not a tenant' }, /^MICROSOFT_APP_TENANT_ID /],
    ['a rate of zero', { TEAMS_APP_RATE_PER_SECOND: '0' }, /^TEAMS_APP_RATE_PER_SECOND /],
    ['a rate that is no number', { TEAMS_APP_RATE_PER_SECOND: 'fast' }, /^TEAMS_APP_RATE_PER_SECOND /],
  ];
  it.each(bad)('stops the start on %s, naming the variable', (_name, env, message) => {
    expect(() => loadTeamsConfig(env)).toThrow(ConfigError);
    expect(() => loadTeamsConfig(env)).toThrow(message);
  });

  it('needs no password for a user-assigned managed identity', () => {
    expect(loadTeamsConfig({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_TYPE: 'UserAssignedMSI', MICROSOFT_APP_TENANT_ID: APP_ID })).toMatchObject({ appType: 'UserAssignedMSI', appPassword: null });
  });
});
