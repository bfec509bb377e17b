import { randomUUID } from 'node:crypto';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { ChannelAdapter } from '../adapter.js';
import type { Config } from '../config.js';
import type { Core } from '../core/index.js';
import type { Database } from '../db/client.js';
import { requireToken } from './plugins/auth.js';
import { useLazyCompilers } from './compilers.js';
import { registerErrorHandling } from './plugins/errors.js';
import { announcementsRoutes } from './routes/announcements.routes.js';
import { calendarRoutes } from './routes/calendar.routes.js';
import { bridgeRoutes } from './routes/bridge.routes.js';
import { channelsRoutes } from './routes/channels.routes.js';
import { communitiesRoutes } from './routes/communities.routes.js';
import { declarationRoutes } from './routes/declaration.routes.js';
import { deliveriesRoutes } from './routes/deliveries.routes.js';
import { engagementRoutes } from './routes/engagement.routes.js';
import { eventsRoutes } from './routes/events.routes.js';
import { healthRoutes } from './routes/health.routes.js';
import { membersRoutes } from './routes/members.routes.js';
import { organisationsRoutes } from './routes/organisations.routes.js';
import { pollsRoutes } from './routes/polls.routes.js';
import { privacyRoutes } from './routes/privacy.routes.js';
import { proposalsRoutes } from './routes/proposals.routes.js';
import { questionsRoutes } from './routes/questions.routes.js';
import { spacesRoutes } from './routes/spaces.routes.js';
import { storiesRoutes } from './routes/stories.routes.js';
import { surveysRoutes } from './routes/surveys.routes.js';
import { tokensRoutes } from './routes/tokens.routes.js';

export interface AppDeps {
  config: Pick<Config, 'publicUrl' | 'rateLimitPerMinute'> & Partial<Pick<Config, 'trustProxyHops'>>;
  core: Core;
  database: Database;
  logger: Logger;
  /** Channel adapters whose platform calls us over HTTP (Teams: POST /api/messages). */
  adapters?: ChannelAdapter[];
}

/** Builds the HTTP app: external plugins, then ours, then routes. Listening is main.ts's job. */
export async function buildApp({ config, core, database, logger, adapters = [] }: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // A caller's X-Request-Id is kept so logs can be followed across systems.
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    bodyLimit: 256 * 1024,
    // A number of hops, never `true`: trusting every X-Forwarded-For would let any client pick
    // the address the rate limit counts.
    trustProxy: (_address: string, hop: number) => hop < (config.trustProxyHops ?? 0),
    // Routes that take a platform's every event (`config: { frequent: true }`, e.g. Teams'
    // /api/messages) log their requests at debug only: two lines per chat message at info would
    // drown the log and cost a tenth of the server's time per activity. Their handlers log
    // refusals and failures themselves.
    logController: new LogController({
      disableRequestLogging: (request: FastifyRequest) => request.routeOptions?.config?.frequent === true && !logger.isLevelEnabled('debug'),
    }),
  }).withTypeProvider<TypeBoxTypeProvider>();
  // Schemas compile on first use; bodies are not type-coerced (see compilers.ts).
  useLazyCompilers(app);

  registerErrorHandling(app);

  // A frequent route answers a platform's servers, not a browser: no security headers to set,
  // twelve of them per chat event otherwise (before helmet, whose own hook reads this).
  app.addHook('onRoute', (route) => {
    if (route.config?.frequent) (route as { helmet?: false }).helmet = false;
  });
  await app.register(helmet, {
    // Swagger UI's inline script needs its own CSP; @fastify/swagger-ui sets it on /docs.
    contentSecurityPolicy: false,
  });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Samen admin API',
        description: 'Steer a community of practice whose members take part from WhatsApp and Teams.',
        version: '0.1.0',
      },
      servers: [{ url: config.publicUrl }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });

  await app.register(healthRoutes(database));
  for (const adapter of adapters) if (adapter.routes) await app.register(adapter.routes);

  await app.register(
    async (v1) => {
      if (config.rateLimitPerMinute > 0) {
        await v1.register(rateLimit, {
          max: config.rateLimitPerMinute,
          timeWindow: '1 minute',
          // Per client address, counted before authentication: keyed by the bearer string,
          // every made-up token would get a fresh allowance (and cost a database lookup).
        });
      }
      requireToken(v1, core);
      for (const routes of [communitiesRoutes, organisationsRoutes, membersRoutes, spacesRoutes, deliveriesRoutes, tokensRoutes, channelsRoutes, eventsRoutes, pollsRoutes, proposalsRoutes, surveysRoutes, announcementsRoutes, calendarRoutes, declarationRoutes, storiesRoutes, questionsRoutes, bridgeRoutes, privacyRoutes, engagementRoutes]) {
        await v1.register(routes(core));
      }
    },
    { prefix: '/v1' },
  );

  return app;
}
