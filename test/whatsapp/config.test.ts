import { describe, expect, it } from 'vitest';
import { loadWhatsAppConfig } from '../../adapters/whatsapp/config.js';
import { ConfigError } from '../../src/env.js';

const none = () => false;
const only = (path: string) => (p: string) => p === path;

describe('WhatsApp settings', () => {
  it('is off by default, with about one message a second and 50 cold direct messages a day', () => {
    expect(loadWhatsAppConfig({}, none)).toMatchObject({ enabled: false, paceMs: 1_000, coldDmDailyCap: 50 });
  });

  it('keeps up to 1,000 messages the core could not take for an hour of retries', () => {
    expect(loadWhatsAppConfig({}, none)).toMatchObject({ inboundRetryMax: 1_000, inboundRetryMinutes: 60 });
    expect(loadWhatsAppConfig({ WHATSAPP_INBOUND_RETRY_MAX: '0' }, none).inboundRetryMax).toBe(0);
  });

  it('finds the system Chromium on the usual paths', () => {
    expect(loadWhatsAppConfig({ WHATSAPP_ENABLED: 'true' }, only('/usr/bin/chromium-browser')).chromiumPath).toBe('/usr/bin/chromium-browser');
  });

  it('refuses to start WhatsApp without a Chromium, naming the variable and how to get one', () => {
    expect(() => loadWhatsAppConfig({ WHATSAPP_ENABLED: 'true' }, none)).toThrow(ConfigError);
    expect(() => loadWhatsAppConfig({ WHATSAPP_ENABLED: 'true' }, none)).toThrow(/CHROMIUM_PATH.*apt-get install chromium/);
    expect(() => loadWhatsAppConfig({ WHATSAPP_ENABLED: 'true', CHROMIUM_PATH: '/opt/nope' }, none)).toThrow('CHROMIUM_PATH /opt/nope does not exist');
  });

  it('names the variable of a bad value', () => {
    expect(() => loadWhatsAppConfig({ WHATSAPP_ENABLED: 'yes please' }, none)).toThrow(/^WHATSAPP_ENABLED/);
    expect(() => loadWhatsAppConfig({ WHATSAPP_PACE_MS: '-5' }, none)).toThrow(/^WHATSAPP_PACE_MS must be a whole number/);
    expect(() => loadWhatsAppConfig({ WHATSAPP_COLD_DM_DAILY_CAP: 'lots' }, none)).toThrow(/^WHATSAPP_COLD_DM_DAILY_CAP/);
    expect(() => loadWhatsAppConfig({ WHATSAPP_READY_TIMEOUT_MS: '10' }, none)).toThrow(/^WHATSAPP_READY_TIMEOUT_MS/);
    expect(() => loadWhatsAppConfig({ WHATSAPP_INBOUND_RETRY_MINUTES: '0' }, none)).toThrow(/^WHATSAPP_INBOUND_RETRY_MINUTES/);
  });
});
