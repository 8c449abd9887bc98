// tests/wasi/p2/build_adapted.mjs OUTDIR: every wasm32-wasip1 program of the official WASI
// test suite ($ZINC_SHARED/wasi-testsuite/tests/{c,rust,assemblyscript}/testsuite/
// wasm32-wasip1/*.wasm) made a WASI Preview 2 command component, as `jco new X.wasm
// --wasi-command` does: wasm-tools' `component new` with jco's wasi_snapshot_preview1 command
// adapter. Writes OUTDIR/<lang>/<name>.wasm, or OUTDIR/<lang>/<name>.error (the tool's
// message) when the module cannot be adapted.
//
// Cached: an output (component or error) newer than both its module and the adapter is kept,
// so a second run only starts Node and compares times. All modules go through one Node process
// (jco's JS API), not one `jco` start-up each. Exit status 0 unless the test data is missing;
// a module that cannot be adapted is the runner's failure to report (check_wasi_p1.py).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync,
  writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importPackage, packageDir, sharedDir } from './npm_tools.mjs';

const LANGS = ['c', 'rust', 'assemblyscript'];
const ADAPTER = join(packageDir('@bytecodealliance/jco'), 'lib',
  'wasi_snapshot_preview1.command.wasm');

const out = process.argv[2];
if (!out) {
  console.error('usage: node build_adapted.mjs OUTDIR');
  process.exit(2);
}

function mtime(path) {
  return existsSync(path) ? statSync(path).mtimeMs : -1;
}

// Every test module: [lang, name, path].
function modules() {
  const found = [];
  for (const lang of LANGS) {
    const dir = join(sharedDir(), 'wasi-testsuite', 'tests', lang, 'testsuite', 'wasm32-wasip1');
    if (!existsSync(dir)) {
      console.error(`build_adapted.mjs: missing test data ${dir} (set ZINC_SHARED)`);
      process.exit(1);
    }
    for (const file of readdirSync(dir).sort()) {
      if (file.endsWith('.wasm')) found.push([lang, file.slice(0, -5), join(dir, file)]);
    }
  }
  return found;
}

const started = performance.now();
const all = modules();
// The adapter's time counts only once it is installed; before that everything is stale.
let adapterTime = mtime(ADAPTER);
const stale = all.filter(([lang, name, path]) => {
  const newest = Math.max(mtime(path), adapterTime);
  const base = join(out, lang, name);
  return adapterTime < 0 || Math.max(mtime(`${base}.wasm`), mtime(`${base}.error`)) <= newest;
});

let failed = 0;
if (stale.length > 0) {
  const jco = await importPackage('@bytecodealliance/jco');
  const adapter = readFileSync(ADAPTER);
  for (const [lang, name, path] of stale) {
    const base = join(out, lang, name);
    mkdirSync(join(out, lang), { recursive: true });
    rmSync(`${base}.wasm`, { force: true });
    rmSync(`${base}.error`, { force: true });
    try {
      const component = await jco.componentNew(readFileSync(path),
        [['wasi_snapshot_preview1', adapter]]);
      writeFileSync(`${base}.wasm`, component);
    } catch (e) {
      failed++;
      const message = String(e?.message ?? e).split('\n').filter((l) => l.trim()).join(' | ');
      writeFileSync(`${base}.error`, `${message}\n`);
      console.log(`cannot adapt ${lang}/${name}: ${message}`);
    }
  }
}
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`build_adapted.mjs: ${all.length} modules, ${stale.length} adapted now ` +
  `(${failed} failed), ${all.length - stale.length} up to date; ${seconds} s`);
