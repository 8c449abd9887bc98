// tests/components/reference.mjs OUTDIR CASES: the reference results of the real components,
// from Node.js: each OUTDIR/NAME.wasm is transpiled to JavaScript with jco (into
// OUTDIR/NAME-js/), imported, and every case of CASES (cases.json) called with its JS
// arguments. Prints one line per case: the result in WAVE, as `zinc run --invoke` prints it
// (or `error: ...`), so check_components.py can compare the two outputs line by line.
import { transpile } from '@bytecodealliance/jco';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [out, casesPath] = process.argv.slice(2);
const cases = JSON.parse(readFileSync(casesPath, 'utf8'));

const modules = {};
async function load(name) {
  if (modules[name]) return modules[name];
  const dir = join(out, `${name}-js`);
  const { files } = await transpile(readFileSync(join(out, `${name}.wasm`)), { name });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{"type": "module"}\n');  // the bindings are ES modules
  for (const [file, bytes] of Object.entries(files)) {
    const path = join(dir, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytes);
  }
  modules[name] = await import(pathToFileURL(join(dir, `${name}.js`)).href);
  return modules[name];
}

const kebab = (s) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

// WAVE rendering of jco's JS values (strings, numbers, bigints, bools, arrays, variants as
// {tag, val}, records as objects with camelCase keys).
function wave(v) {
  if (typeof v === 'string') {
    return '"' + v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
        .replace(/\t/g, '\\t').replace(/\r/g, '\\r') + '"';
  }
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Array.isArray(v)) return '[' + v.map(wave).join(', ') + ']';
  if (v && typeof v === 'object' && 'tag' in v) {
    return v.val === undefined ? kebab(v.tag) : `${kebab(v.tag)}(${wave(v.val)})`;
  }
  if (v && typeof v === 'object') {
    return '{' + Object.entries(v).map(([k, x]) => `${kebab(k)}: ${wave(x)}`).join(', ') + '}';
  }
  return String(v);
}

for (const c of cases) {
  try {
    const m = await load(c.component);
    const [path, args] = c.js;
    let f = m;
    for (const part of path.split('.')) f = f[part];
    console.log(wave(f(...args)));
  } catch (e) {
    console.log(`error: ${e.message ?? e}`);
  }
}
