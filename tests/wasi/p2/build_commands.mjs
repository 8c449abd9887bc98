// tests/wasi/p2/build_commands.mjs OUTDIR: the WASI Preview 2 command components of
// check_commands.py, made by other toolchains:
//   OUTDIR/c-hello.wasm  c/hello.c: clang-19 --target=wasm32-wasi (wasm32-wasip1) against
//                        Debian's wasi-libc, made a component by jco's command adapter
//                        (`jco new hello.wasm --wasi-command`)
//   OUTDIR/js-cli.wasm   js/cli.js componentized by componentize-js against js/wit/cli.wit
//                        (wasi:cli/command); the WASI 0.2.12 WIT packages are copied from
//                        $ZINC_SHARED/wasi-wit-0.2.12 into OUTDIR/js-wit/deps/ first
// A component is rebuilt only when its sources changed (their hash in NAME.wasm.sha256).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync,
  writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { here, importPackage, packageDir, sharedDir } from './npm_tools.mjs';

const out = process.argv[2];
if (!out) {
  console.error('usage: node build_commands.mjs OUTDIR');
  process.exit(2);
}
mkdirSync(out, { recursive: true });
const adapterPath = join(packageDir('@bytecodealliance/jco'), 'lib',
  'wasi_snapshot_preview1.command.wasm');

function upToDate(target, sources) {
  const hash = createHash('sha256');
  for (const s of sources) hash.update(existsSync(s) ? readFileSync(s) : '');
  const digest = hash.digest('hex');
  const stamp = `${target}.sha256`;
  const fresh = existsSync(target) && existsSync(stamp) && readFileSync(stamp, 'utf8') === digest;
  return { fresh, save: () => writeFileSync(stamp, digest) };
}

async function buildC() {
  const src = join(here, 'c', 'hello.c');
  const target = join(out, 'c-hello.wasm');
  const { fresh, save } = upToDate(target, [src, adapterPath]);
  if (fresh) return;
  const core = join(out, 'c-hello.core.wasm');
  execFileSync('clang-19', ['--target=wasm32-wasi', '--sysroot=/usr', '-O2', '-Wall', '-Wextra',
    '-Werror', '-o', core, src], { stdio: 'inherit' });
  const jco = await importPackage('@bytecodealliance/jco');
  writeFileSync(target, await jco.componentNew(readFileSync(core),
    [['wasi_snapshot_preview1', readFileSync(adapterPath)]]));
  save();
  console.log(`built ${target}`);
}

async function buildJs() {
  const src = join(here, 'js', 'cli.js');
  const world = join(here, 'js', 'wit', 'cli.wit');
  const target = join(out, 'js-cli.wasm');
  const witDir = join(out, 'js-wit');
  const wasiWit = join(sharedDir(), 'wasi-wit-0.2.12');
  if (!existsSync(wasiWit)) {
    console.error(`build_commands.mjs: missing ${wasiWit} (set ZINC_SHARED)`);
    process.exit(1);
  }
  // wasi:cli/imports and what it includes (not wasi:http).
  const packages = ['cli', 'clocks', 'filesystem', 'io', 'random', 'sockets'];
  const witFiles = packages.flatMap((p) => readdirSync(join(wasiWit, p)).sort()
    .map((f) => join(wasiWit, p, f)));
  const { fresh, save } = upToDate(target, [src, world, ...witFiles]);
  if (fresh) return;
  rmSync(witDir, { recursive: true, force: true });
  mkdirSync(join(witDir, 'deps'), { recursive: true });
  cpSync(world, join(witDir, 'cli.wit'));
  for (const p of packages) cpSync(join(wasiWit, p), join(witDir, 'deps', p), { recursive: true });
  const { componentize } = await importPackage('@bytecodealliance/componentize-js');
  const { component } = await componentize({
    sourcePath: src, witPath: witDir, worldName: 'cli',
    disableFeatures: ['http', 'fetch-event'],
  });
  writeFileSync(target, component);
  save();
  console.log(`built ${target}`);
}

await buildC();
await buildJs();
