import type { Logger } from 'pino';
import type { AdapterCore, ChannelAdapter } from '../../src/adapter.js';
import { ChannelSendError } from '../../src/core/channel.js';
import type { TeamsConfig } from './config.js';

export { loadTeamsConfig, type TeamsConfig } from './config.js';

export interface TeamsAdapterDeps {
  config: TeamsConfig;
  core: AdapterCore;
  logger: Logger;
}

/** The Teams channel (to be built: issue 7). */
export function createTeamsAdapter(_deps: TeamsAdapterDeps): ChannelAdapter {
  return {
    port: {
      channel: 'teams',
      capabilities: { maxTextLength: 4000, cards: false, nativePolls: false },
      send: async () => {
        throw new ChannelSendError('the Teams adapter is not built yet', false);
      },
    },
    start: async () => {},
    stop: async () => {},
  };
}
