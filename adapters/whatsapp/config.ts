import { ConfigError } from '../../src/config-error.js';

type Env = Record<string, string | undefined>;

/** The WhatsApp adapter's settings (WHATSAPP_*, CHROMIUM_PATH). */
export interface WhatsAppConfig {
  enabled: boolean;
}

/** Parses the WhatsApp settings; throws ConfigError naming the variable on a bad value. */
export function loadWhatsAppConfig(env: Env): WhatsAppConfig {
  const raw = env.WHATSAPP_ENABLED?.trim().toLowerCase() || 'false';
  if (!['true', 'false', '1', '0'].includes(raw)) throw new ConfigError('WHATSAPP_ENABLED must be true or false');
  return { enabled: raw === 'true' || raw === '1' };
}
