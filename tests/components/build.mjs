// tests/components/build.mjs OUTDIR: makes the real components of the component tests with
// other toolchains (npm's @bytecodealliance/jco and componentize-js, Debian's clang-19):
//   OUTDIR/c-demo.wasm    c/demo.c (clang-19, wasm32, no libc) with its WIT (c/demo.wit)
//                         embedded and turned into a component by jco (wasm-tools embed + new)
//   OUTDIR/js-demo.wasm   js/demo.js componentized against js/wit by componentize-js, with
//                         the WASI features disabled (the component imports nothing)
// A component is rebuilt only when its sources changed (a hash of them beside it).
import { componentEmbed, componentNew } from '@bytecodealliance/jco';
import { componentize } from '@bytecodealliance/componentize-js';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2];
if (!out) {
  console.error('usage: node build.mjs OUTDIR');
  process.exit(2);
}
mkdirSync(out, { recursive: true });

function upToDate(target, sources) {
  const hash = createHash('sha256');
  for (const s of sources) hash.update(readFileSync(s));
  const digest = hash.digest('hex');
  const stamp = `${target}.sha256`;
  const fresh = existsSync(target) && existsSync(stamp) && readFileSync(stamp, 'utf8') === digest;
  return { fresh, save: () => writeFileSync(stamp, digest) };
}

async function buildC() {
  const src = join(here, 'c', 'demo.c');
  const wit = join(here, 'c', 'demo.wit');
  const target = join(out, 'c-demo.wasm');
  const { fresh, save } = upToDate(target, [src, wit]);
  if (fresh) return;
  const core = join(out, 'c-demo.core.wasm');
  execFileSync('clang-19', ['--target=wasm32-unknown-unknown', '-O2', '-nostdlib',
    '-Wl,--no-entry', '-Wl,--export-dynamic', '-o', core, src], { stdio: 'inherit' });
  const embedded = await componentEmbed({
    binary: readFileSync(core), witSource: readFileSync(wit, 'utf8'), world: 'demo',
  });
  writeFileSync(target, await componentNew(embedded));
  save();
  console.log(`built ${target}`);
}

async function buildJs() {
  const src = join(here, 'js', 'demo.js');
  const wit = join(here, 'js', 'wit', 'demo.wit');
  const target = join(out, 'js-demo.wasm');
  const { fresh, save } = upToDate(target, [src, wit]);
  if (fresh) return;
  const { component } = await componentize({
    sourcePath: src, witPath: join(here, 'js', 'wit'), worldName: 'jsdemo',
    disableFeatures: ['random', 'stdio', 'clocks', 'http', 'fetch-event'],
  });
  writeFileSync(target, component);
  save();
  console.log(`built ${target}`);
}

await buildC();
await buildJs();
