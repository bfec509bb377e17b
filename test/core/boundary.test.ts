import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CORE = path.join(ROOT, 'src/core');

/** Packages the core must not know: the HTTP host and the platform SDKs. */
const FORBIDDEN_PACKAGES = [
  /^fastify($|\/|-)/,
  /^@fastify\//,
  /^botbuilder/,
  /^@microsoft\/agents-/,
  /^whatsapp-web\.js(\/|$)/,
];
/** Folders of this repository the core must not reach into. */
const FORBIDDEN_FOLDERS = [path.join(ROOT, 'src/http'), path.join(ROOT, 'adapters')];

/** Every module specifier in a source text: import/export … from, side-effect imports, import(), require(). */
function specifiers(source: string): string[] {
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  return patterns.flatMap((pattern) => [...source.matchAll(pattern)].map((m) => m[1]!));
}

/** The imports in `source` (the text of `file`) that cross the core's boundary. */
function forbiddenImports(source: string, file: string): string[] {
  return specifiers(source).filter((specifier) => {
    if (specifier.startsWith('.')) {
      const target = path.resolve(path.dirname(file), specifier);
      return FORBIDDEN_FOLDERS.some((folder) => target === folder || target.startsWith(folder + path.sep));
    }
    return FORBIDDEN_PACKAGES.some((pattern) => pattern.test(specifier));
  });
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

describe('the core boundary', () => {
  it('keeps fastify, the platform SDKs, the HTTP layer and the adapters out of src/core', () => {
    const files = tsFiles(CORE);
    expect(files.map((f) => path.relative(CORE, f))).toEqual(
      expect.arrayContaining(['inbound/inbound.service.ts', 'outbox/dispatcher.ts', 'commands/registry.ts', 'i18n/index.ts']),
    );
    const crossings = files.flatMap((file) =>
      forbiddenImports(readFileSync(file, 'utf8'), file).map((s) => `${path.relative(ROOT, file)} imports ${s}`),
    );
    expect(crossings).toEqual([]);
  });

  describe('the checker', () => {
    const file = path.join(CORE, 'outbox/example.ts');

    it.each([
      `import Fastify from 'fastify';`,
      `import type { FastifyInstance } from 'fastify';`,
      `import helmet from '@fastify/helmet';`,
      `import fp from 'fastify-plugin';`,
      `import { CloudAdapter } from 'botbuilder';`,
      `import { TurnContext } from 'botbuilder-core';`,
      `import { AgentApplication } from '@microsoft/agents-hosting';`,
      `import pkg from 'whatsapp-web.js';`,
      `import {\n  Client,\n  LocalAuth,\n} from "whatsapp-web.js";`,
      `import { buildApp } from '../../http/app.js';`,
      `export { errorsPlugin } from '../../http/plugins/errors.js';`,
      `import '../../../adapters/whatsapp/index.js';`,
      `const { createTeamsAdapter } = await import('../../../adapters/teams/teams.adapter.js');`,
      `const wweb = require('whatsapp-web.js');`,
    ])('catches %s', (source) => {
      expect(forbiddenImports(source, file)).toHaveLength(1);
    });

    it.each([
      `import { and, eq } from 'drizzle-orm';`,
      `import type { Logger } from 'pino';`,
      `import { outbox } from '../../db/schema/index.js';`,
      `import { ChannelSendError } from '../channel.js';`,
      `import { httpish } from './fastify-free.js';`,
      `import { x } from 'not-fastify';`,
    ])('lets %s through', (source) => {
      expect(forbiddenImports(source, file)).toEqual([]);
    });
  });
});
