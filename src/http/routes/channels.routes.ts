import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Core } from '../../core/index.js';
import { Channel, errorResponses } from '../schemas.js';

const ChannelStatus = Type.Object({
  channel: Channel,
  state: Type.String({ description: 'WhatsApp: off, starting, qr, authenticated, ready, disconnected. Teams: off, local, ready' }),
  since: Type.String({ format: 'date-time' }),
  detail: Type.Optional(Type.String()),
  account: Type.Optional(Type.String({ description: 'The linked phone number (WhatsApp) or app id (Teams)' })),
  qr: Type.Optional(Type.String({ description: 'While state is qr: the code to scan (GET …/qr gives it as an image)' })),
});

const ChannelParams = Type.Object({ channel: Channel });

export const channelsRoutes =
  (core: Core): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/channels',
      {
        schema: {
          tags: ['channels'],
          summary: 'How WhatsApp and Teams are connected (admin)',
          response: { 200: Type.Object({ items: Type.Array(ChannelStatus) }), ...errorResponses },
        },
      },
      async (request) => ({ items: core.channels.list(request.actor) }),
    );

    app.get(
      '/channels/:channel',
      {
        schema: {
          tags: ['channels'],
          summary: "One channel's connection (admin)",
          params: ChannelParams,
          response: { 200: ChannelStatus, ...errorResponses },
        },
      },
      async (request) => core.channels.get(request.actor, request.params.channel),
    );

    app.get(
      '/channels/:channel/qr',
      {
        schema: {
          tags: ['channels'],
          summary: 'The QR code to scan with the phone, as a PNG image (admin)',
          description: 'On the phone: WhatsApp → Settings → Linked devices → Link a device. A new code comes every 20 seconds or so: reload.',
          params: ChannelParams,
          response: { 200: { description: 'PNG image', content: { 'image/png': { schema: { type: 'string', format: 'binary' } } } }, ...errorResponses },
        },
      },
      async (request, reply) => {
        // Loaded on first use: a quarter second of start-up for a page an admin opens once.
        const { default: QRCode } = await import('qrcode');
        const png = await QRCode.toBuffer(core.channels.qr(request.actor, request.params.channel), { type: 'png', width: 360, margin: 2 });
        return reply.type('image/png').header('cache-control', 'no-store').send(png as never);
      },
    );

    app.post(
      '/channels/:channel/pairing-code',
      {
        schema: {
          tags: ['channels'],
          summary: 'Link the phone by typing a code instead of scanning (admin)',
          description: 'On the phone: WhatsApp → Settings → Linked devices → Link a device → Link with phone number instead, then type the code.',
          params: ChannelParams,
          body: Type.Object(
            { phoneNumber: Type.String({ pattern: '^\\+?[0-9]{8,15}$', description: 'The phone number to link, international format, e.g. 31612345678' }) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ code: Type.String() }), ...errorResponses },
        },
      },
      async (request) => core.channels.pairingCode(request.actor, request.params.channel, request.body.phoneNumber.replace(/^\+/, '')),
    );
  };
