// tests/wasi/p2/adapt.mjs IN.wasm OUT.wasm: one wasm32-wasip1 command module made a WASI
// Preview 2 command component with jco's command adapter (as build_adapted.mjs does for the
// official tests). Kept when OUT is newer than IN and the adapter.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { importPackage, packageDir } from './npm_tools.mjs';

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: node adapt.mjs IN.wasm OUT.wasm');
  process.exit(2);
}
const mtime = (p) => (existsSync(p) ? statSync(p).mtimeMs : -1);
const jco = await importPackage('@bytecodealliance/jco');
const adapter = join(packageDir('@bytecodealliance/jco'), 'lib',
  'wasi_snapshot_preview1.command.wasm');
if (mtime(output) <= Math.max(mtime(input), mtime(adapter))) {
  mkdirSync(dirname(output), { recursive: true });
  const component = await jco.componentNew(readFileSync(input),
    [['wasi_snapshot_preview1', readFileSync(adapter)]]);
  writeFileSync(output, component);
}
