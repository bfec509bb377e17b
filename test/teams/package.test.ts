import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const APP_ID = '3f1d2c4b-5a69-4788-9a0b-1c2d3e4f5a6b';

/** Reads a zip the way Teams does: through its central directory. */
function unzip(archive: Buffer): Map<string, Buffer> {
  const end = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = archive.readUInt16LE(end + 10);
  let at = archive.readUInt32LE(end + 16);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    expect(archive.readUInt32LE(at)).toBe(0x02014b50);
    const method = archive.readUInt16LE(at + 10);
    const packedSize = archive.readUInt32LE(at + 20);
    const nameLength = archive.readUInt16LE(at + 28);
    const extra = archive.readUInt16LE(at + 30);
    const comment = archive.readUInt16LE(at + 32);
    const local = archive.readUInt32LE(at + 42);
    const name = archive.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const dataAt = local + 30 + archive.readUInt16LE(local + 26) + archive.readUInt16LE(local + 28);
    const packed = archive.subarray(dataAt, dataAt + packedSize);
    files.set(name, method === 8 ? inflateRawSync(packed) : packed);
    at += 46 + nameLength + extra + comment;
  }
  return files;
}

const pngSize = (png: Buffer) => [png.readUInt32BE(16), png.readUInt32BE(20)];

describe('the Teams app package', () => {
  it('writes a zip with the manifest naming this bot, and both icons', async () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'samen-teams-')), 'samen-teams.zip');
    await promisify(execFile)(process.execPath, ['--import', 'tsx', 'adapters/teams/manifest/package.ts', out], {
      cwd: ROOT,
      env: { ...process.env, MICROSOFT_APP_ID: APP_ID, PUBLIC_URL: 'https://samen.example.org/' },
    });
    const files = unzip(readFileSync(out));
    expect([...files.keys()].sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);

    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8'));
    expect(manifest.manifestVersion).toBe('1.17');
    expect(manifest.id).toBe(APP_ID);
    expect(manifest.developer.websiteUrl).toBe('https://samen.example.org');
    const [bot] = manifest.bots;
    expect(bot.botId).toBe(APP_ID);
    expect(bot.scopes).toEqual(['personal', 'team', 'groupChat']);
    // What Teams offers when a member types / : a direct chat's commands, and a channel's or group chat's (at most 10 each).
    expect(bot.commandLists.map((l: { scopes: string[] }) => l.scopes)).toEqual([['personal'], ['team', 'groupChat']]);
    expect(bot.commandLists[0].commands.map((c: { title: string }) => c.title)).toEqual(['help', 'profile', 'rules', 'accept', 'events', 'story', 'search', 'questions', 'survey', 'sign']);
    expect(bot.commandLists[1].commands.map((c: { title: string }) => c.title)).toEqual(['help', 'ask', 'answer', 'search', 'events', 'join', 'plan', 'announce', 'link', 'bridge']);
    expect(JSON.stringify(manifest)).not.toMatch(/\{\{/);
    // The bridge needs every channel and group-chat message, not only those that @mention the bot.
    expect(manifest.authorization.permissions.resourceSpecific).toEqual([
      { name: 'ChannelMessage.Read.Group', type: 'Application' },
      { name: 'ChatMessage.Read.Chat', type: 'Application' },
    ]);
    expect(manifest.webApplicationInfo.id).toBe(APP_ID);

    expect(pngSize(files.get('color.png')!)).toEqual([192, 192]);
    expect(pngSize(files.get('outline.png')!)).toEqual([32, 32]);
  });

  it('refuses to package without an app id, naming the variable', async () => {
    const run = promisify(execFile)(process.execPath, ['--import', 'tsx', 'adapters/teams/manifest/package.ts', path.join(tmpdir(), 'never.zip')], {
      cwd: ROOT,
      env: { ...process.env, MICROSOFT_APP_ID: '' },
    });
    await expect(run).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('MICROSOFT_APP_ID must be set') });
  });
});
