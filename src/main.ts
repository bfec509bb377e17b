import closeWithGrace from 'close-with-grace';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger } from './logger.js';
import { startServer } from './server.js';

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  // One line naming the variable: the operator fixes it and starts again.
  process.stderr.write(`samen: configuration error: ${error.message}\n`);
  process.exit(1);
}

const logger = createLogger(config);
const server = await startServer(config, logger).catch((error: unknown) => {
  logger.fatal({ err: error }, 'could not start');
  process.exit(1);
});

if (server.generatedAdminToken) {
  // Written straight to the terminal, once, and never logged: only its hash is stored.
  process.stdout.write(
    [
      '',
      '  An admin token was generated. It is shown this once; keep it somewhere safe:',
      '',
      `    ${server.generatedAdminToken}`,
      '',
      `  Try it:  curl -H "Authorization: Bearer <token>" ${config.publicUrl}/v1/communities`,
      '  Lost it? Set ADMIN_TOKEN to a value of your own and restart.',
      '',
      '',
    ].join('\n'),
  );
}
logger.info(`Samen listening on ${config.publicUrl} (API docs at ${config.publicUrl}/docs)`);

closeWithGrace({ delay: 15_000, logger }, async ({ signal, err }) => {
  if (err) logger.error({ err }, 'shutting down after an error');
  else logger.info({ signal }, 'shutting down');
  await server.close();
});
