import { requireAdmin, type Actor } from './access.js';
import { CHANNELS, type ChannelName, type ChannelPort, type ChannelStatus } from './channel.js';
import { conflict, CoreError, notFound } from './errors.js';

const OFF_DETAIL: Record<ChannelName, string> = {
  whatsapp: 'WhatsApp is off: set WHATSAPP_ENABLED=true and restart to link a phone',
  teams: 'Teams is off',
};

/** The channels' connections, as admins see them (a linked phone number is not for managers). */
export function createChannelsService(channels: Map<ChannelName, ChannelPort>, clock: () => Date) {
  const startedAt = clock().toISOString();

  function statusOf(name: ChannelName): ChannelStatus & { channel: ChannelName } {
    const port = channels.get(name);
    if (!port) return { channel: name, state: 'off', since: startedAt, detail: OFF_DETAIL[name] };
    return { channel: name, ...(port.status?.() ?? { state: 'ready', since: startedAt }) };
  }

  return {
    list(actor: Actor) {
      requireAdmin(actor);
      return CHANNELS.map(statusOf);
    },
    get(actor: Actor, name: ChannelName) {
      requireAdmin(actor);
      return statusOf(name);
    },
    /** The QR code to scan now; not-found when there is none (linked already, or not started). */
    qr(actor: Actor, name: ChannelName): string {
      requireAdmin(actor);
      const status = statusOf(name);
      if (!status.qr) throw new CoreError('not-found', `No QR code to scan: ${name} is ${status.state}${status.detail ? ` (${status.detail})` : ''}`);
      return status.qr;
    },
    /** A code to type on the phone (WhatsApp: Linked devices → Link with phone number instead). */
    async pairingCode(actor: Actor, name: ChannelName, phoneNumber: string): Promise<{ code: string }> {
      requireAdmin(actor);
      const port = channels.get(name);
      if (!port?.requestPairingCode) throw notFound(`Pairing codes for ${name}`);
      try {
        return { code: await port.requestPairingCode(phoneNumber) };
      } catch (error) {
        if (error instanceof CoreError) throw error;
        throw conflict(`${name} gave no pairing code: ${(error as Error).message}`);
      }
    },
  };
}
