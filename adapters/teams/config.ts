type Env = Record<string, string | undefined>;

/** The Teams adapter's settings (MICROSOFT_APP_*). */
export interface TeamsConfig {
  /** Null: local mode (Bot Framework Emulator, Agents Playground, tests), loopback only. */
  appId: string | null;
}

/** Parses the Teams settings; throws ConfigError naming the variable on a bad value. */
export function loadTeamsConfig(env: Env): TeamsConfig {
  return { appId: env.MICROSOFT_APP_ID?.trim() || null };
}
