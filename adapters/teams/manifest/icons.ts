/**
 * Draws the app's two icons without an image library: Teams wants a 192×192 full-colour icon
 * and a 32×32 white-on-transparent outline. The mark is two overlapping rings ("samen":
 * together). Run `npx tsx adapters/teams/manifest/icons.ts` to redraw them.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { crc32 } from './zip.js';

type Rgba = [number, number, number, number];

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** An RGBA PNG of `size`×`size`, each pixel from `paint(x, y)` (centre of the pixel, 0..1). */
export function png(size: number, paint: (x: number, y: number) => Rgba): Buffer {
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    const row = y * (size * 4 + 1);
    rows[row] = 0; // filter: none
    for (let x = 0; x < size; x++) rows.set(paint((x + 0.5) / size, (y + 0.5) / size), row + 1 + x * 4);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** How much of a pixel a ring covers (0..1), softened over `edge` for anti-aliasing. */
function ring(x: number, y: number, cx: number, cy: number, r: number, width: number, edge: number) {
  const d = Math.abs(Math.hypot(x - cx, y - cy) - r);
  return Math.min(1, Math.max(0, (width / 2 - d) / edge + 0.5));
}

const TEAL: Rgba = [46, 125, 107, 255];

export const colorIcon = () =>
  png(192, (x, y) => {
    const a = Math.max(ring(x, y, 0.4, 0.5, 0.2, 0.07, 1 / 192), ring(x, y, 0.6, 0.5, 0.2, 0.07, 1 / 192));
    return [Math.round(TEAL[0] + (255 - TEAL[0]) * a), Math.round(TEAL[1] + (255 - TEAL[1]) * a), Math.round(TEAL[2] + (255 - TEAL[2]) * a), 255];
  });

export const outlineIcon = () =>
  png(32, (x, y) => {
    const a = Math.max(ring(x, y, 0.36, 0.5, 0.24, 0.1, 1 / 32), ring(x, y, 0.64, 0.5, 0.24, 0.1, 1 / 32));
    return [255, 255, 255, Math.round(255 * a)];
  });

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  writeFileSync(path.join(import.meta.dirname, 'color.png'), colorIcon());
  writeFileSync(path.join(import.meta.dirname, 'outline.png'), outlineIcon());
}
