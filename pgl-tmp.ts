import { openDatabase } from '/work/main/src/db/client.ts';
let t = Date.now();
const d = openDatabase({ dataDir: null });
await d.migrate();
console.log('create+migrate', Date.now() - t);
const { PGlite } = await import('@electric-sql/pglite');
// @ts-ignore
const client = (d.db as any).$client as InstanceType<typeof PGlite>;
t = Date.now();
const blob = await client.dumpDataDir('none');
console.log('dump', Date.now() - t, blob.size);
t = Date.now();
const d2 = openDatabase({ dataDir: null, loadDataDir: blob });
console.log(await d2.ready(), 'load', Date.now() - t);
