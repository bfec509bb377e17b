import { ChannelSendError } from '../../src/core/channel.js';

/**
 * whatsapp-web.js reports failures as plain Errors (often a puppeteer "Evaluation failed: …"
 * wrapping WhatsApp Web's own message). These say the chat cannot be written to: trying again
 * will not help.
 */
const PERMANENT = [
  /wid error/i, // a malformed chat id
  /invalid wid/i,
  /no lid for user/i, // the number is not on WhatsApp
  /chat not found/i,
  /not a participant|not-authorized|forbidden/i, // removed from the group, or only admins may send
];

/**
 * A failed sendMessage as a ChannelSendError: permanent for the chat-level errors above;
 * everything else (the page or browser went away, a timeout, WhatsApp Web busy) is retryable,
 * and the dispatcher gives up after its attempts.
 */
export function toSendError(error: unknown): ChannelSendError {
  if (error instanceof ChannelSendError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const short = message.split('\n')[0]!.slice(0, 300);
  const permanent = PERMANENT.some((re) => re.test(message));
  return new ChannelSendError(`WhatsApp: ${short}`, !permanent);
}

/** The send failed because the quoted message is not loaded in WhatsApp Web. */
export const isQuoteError = (error: unknown) => error instanceof Error && /quot/i.test(error.message);
