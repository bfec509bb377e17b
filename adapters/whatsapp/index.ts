import type { Logger } from 'pino';
import type { AdapterCore, ChannelAdapter } from '../../src/adapter.js';
import { ChannelSendError } from '../../src/core/channel.js';
import type { WhatsAppConfig } from './config.js';

export { loadWhatsAppConfig, type WhatsAppConfig } from './config.js';

export interface WhatsAppAdapterDeps {
  config: WhatsAppConfig;
  /** Sessions are kept under `<dataDir>/whatsapp`. */
  dataDir: string;
  core: AdapterCore;
  logger: Logger;
}

/** The WhatsApp channel (to be built: issue 3). */
export function createWhatsAppAdapter(_deps: WhatsAppAdapterDeps): ChannelAdapter {
  return {
    port: {
      channel: 'whatsapp',
      capabilities: { maxTextLength: 4000, cards: false, nativePolls: false },
      send: async () => {
        throw new ChannelSendError('the WhatsApp adapter is not built yet', false);
      },
    },
    start: async () => {},
    stop: async () => {},
  };
}
