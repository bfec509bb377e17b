import closeWithGrace from 'close-with-grace';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger } from './logger.js';
import { startServer } from './server.js';

/** One line naming the variable, no stack: the operator fixes the setting and starts again. */
function refuse(error: ConfigError): never {
  process.stderr.write(`samen: configuration error: ${error.message}\n`);
  process.exit(1);
}

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  refuse(error);
}

const logger = createLogger(config);
const server = await startServer(config, logger).catch((error: unknown) => {
  // Settings only found wrong on use (a busy port, an unreachable database) read the same.
  if (error instanceof ConfigError) refuse(error);
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
