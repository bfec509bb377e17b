/**
 * `npm run teams:package`: the Teams app package (manifest.json with this deployment's bot id,
 * and the two icons) as dist/samen-teams.zip, ready to upload in Teams (Apps → Manage your apps →
 * Upload an app) or the Teams admin centre.
 *   MICROSOFT_APP_ID  the bot's app id (required)
 *   TEAMS_APP_ID      the Teams app's own id (default: the bot's app id)
 *   PUBLIC_URL        the developer website shown in the app's details (https in production)
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../../../src/env.js';
import { zip } from './zip.js';

const HERE = import.meta.dirname;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The package's files for these settings; throws ConfigError naming a missing or bad variable. */
export function packageFiles(env: Record<string, string | undefined>) {
  // The manifest needs the bot's id only; its password stays out of the package.
  const appId = env.MICROSOFT_APP_ID?.trim();
  if (!appId) throw new ConfigError('MICROSOFT_APP_ID must be set: the package names the bot by its app id');
  if (!GUID.test(appId)) throw new ConfigError("MICROSOFT_APP_ID must be the bot's application (client) id, a GUID");
  const teamsAppId = env.TEAMS_APP_ID?.trim() || appId;
  if (!GUID.test(teamsAppId)) throw new ConfigError('TEAMS_APP_ID must be a GUID');
  const publicUrl = (env.PUBLIC_URL?.trim() || 'https://example.org').replace(/\/+$/, '');
  if (!/^https?:\/\//.test(publicUrl)) throw new ConfigError('PUBLIC_URL must be an http:// or https:// URL');

  const values: Record<string, string> = { MICROSOFT_APP_ID: appId, TEAMS_APP_ID: teamsAppId, PUBLIC_URL: publicUrl };
  const manifest = readFileSync(path.join(HERE, 'manifest.json'), 'utf8').replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`manifest.json names an unknown value {{${name}}}`);
    return values[name]!;
  });
  JSON.parse(manifest);
  return [
    { name: 'manifest.json', data: Buffer.from(manifest, 'utf8') },
    { name: 'color.png', data: readFileSync(path.join(HERE, 'color.png')) },
    { name: 'outline.png', data: readFileSync(path.join(HERE, 'outline.png')) },
  ];
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const out = path.resolve(process.argv[2] ?? 'dist/samen-teams.zip');
  try {
    const files = packageFiles(process.env);
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, zip(files));
    process.stdout.write(`wrote ${path.relative(process.cwd(), out)} (bot ${process.env.MICROSOFT_APP_ID?.trim()})\n`);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`teams:package: ${error.message}\n`);
    process.exitCode = 1;
  }
}
