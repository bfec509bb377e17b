import { ConfigError, read, wholeNumber, type Env } from '../../src/env.js';

/** How the bot's Azure registration authenticates (Azure Bot resource, "Type of App"). */
export const APP_TYPES = ['MultiTenant', 'SingleTenant', 'UserAssignedMSI'] as const;
export type TeamsAppType = (typeof APP_TYPES)[number];

/** The Teams adapter's settings (MICROSOFT_APP_*). */
export interface TeamsConfig {
  /** Null: local mode (Bot Framework Emulator, Agents Playground, tests), loopback only. */
  appId: string | null;
  appPassword: string | null;
  appType: TeamsAppType;
  /** The bot's Entra tenant: required for SingleTenant and UserAssignedMSI. */
  tenantId: string | null;
  /** Requests per second to the Bot Connector for the whole app (Microsoft: about 50). */
  appRatePerSecond: number;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A tenant is named by its id or by one of its domains (contoso.onmicrosoft.com). */
const TENANT = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[a-z0-9-]+(?:\.[a-z0-9-]+)+)$/i;

/** Parses the Teams settings; throws ConfigError naming the variable on a bad value. */
export function loadTeamsConfig(env: Env): TeamsConfig {
  const get = (name: string) => read(env, name) ?? null;

  const appId = get('MICROSOFT_APP_ID');
  const appPassword = get('MICROSOFT_APP_PASSWORD');
  const tenantId = get('MICROSOFT_APP_TENANT_ID');
  const typeText = get('MICROSOFT_APP_TYPE');

  const appType = typeText === null ? 'MultiTenant' : APP_TYPES.find((t) => t.toLowerCase() === typeText.toLowerCase());
  if (!appType) throw new ConfigError(`MICROSOFT_APP_TYPE must be one of ${APP_TYPES.join(', ')}`);

  if (appId !== null && !GUID.test(appId)) {
    throw new ConfigError('MICROSOFT_APP_ID must be the bot\'s application (client) id, a GUID like 00000000-0000-0000-0000-000000000000');
  }
  if (appId === null) {
    // Any of these without an app id means a half-finished setup: refusing it beats silently
    // running in local mode, where the bot would answer nobody from Teams.
    for (const name of ['MICROSOFT_APP_PASSWORD', 'MICROSOFT_APP_TENANT_ID', 'MICROSOFT_APP_TYPE'] as const) {
      if (get(name) !== null) throw new ConfigError(`${name} is set but MICROSOFT_APP_ID is not; set both, or neither for local mode`);
    }
  } else {
    if (appType !== 'UserAssignedMSI' && appPassword === null) {
      throw new ConfigError(`MICROSOFT_APP_PASSWORD must be set with MICROSOFT_APP_ID (the client secret of the bot's app registration)`);
    }
    if (appType !== 'MultiTenant' && tenantId === null) {
      throw new ConfigError(`MICROSOFT_APP_TENANT_ID must be set when MICROSOFT_APP_TYPE is ${appType}`);
    }
  }
  if (tenantId !== null && !TENANT.test(tenantId)) {
    throw new ConfigError('MICROSOFT_APP_TENANT_ID must be a tenant id (a GUID) or a tenant domain such as contoso.onmicrosoft.com');
  }

  const appRatePerSecond = wholeNumber(env, 'TEAMS_APP_RATE_PER_SECOND', 50, 1, 10_000);

  return { appId, appPassword, appType, tenantId, appRatePerSecond };
}
