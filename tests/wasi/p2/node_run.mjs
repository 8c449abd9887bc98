// tests/wasi/p2/node_run.mjs [--dir HOST::GUEST]... [--env NAME=VALUE]... COMPONENT [ARGS...]:
// runs a WASI Preview 2 command component in Node.js (jco's transpiled JavaScript and its
// preview2-shim), configured as `zinc run` configures it, so its output is the reference for
// Zinc's: the guest sees exactly the --env variables, only the --dir preopens (HOST under the
// name GUEST, default HOST), no initial working directory, and the arguments COMPONENT ARGS...
// (COMPONENT spelled as given, as `zinc run` passes the program's name).
//
// The transpiled JavaScript is cached beside the component (COMPONENT-js/, rebuilt when the
// component is newer), so only the first run of a component pays for `jco transpile`.
// Exit status: the guest's exit code (`wasi:cli/exit`), 0 when `run` returns ok, 1 when it
// returns an error, 134 when the guest traps (WebAssembly.RuntimeError), as `zinc run` does.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync,
  writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureInstalled, importPackage, packageDir } from './npm_tools.mjs';

const dirs = [];
const env = {};
const argv = process.argv.slice(2);
while (argv.length && argv[0].startsWith('--')) {
  const [flag, value] = [argv.shift(), argv.shift()];
  if (flag === '--dir') {
    const at = value.indexOf('::');
    dirs.push(at < 0 ? [value, value] : [value.slice(0, at), value.slice(at + 2)]);
  } else if (flag === '--env') {
    const at = value.indexOf('=');
    if (at < 0) throw new Error(`--env ${value}: expected NAME=VALUE`);
    env[value.slice(0, at)] = value.slice(at + 1);
  } else {
    console.error(`node_run.mjs: unknown option ${flag}`);
    process.exit(2);
  }
}
if (argv.length === 0) {
  console.error('usage: node node_run.mjs [--dir HOST::GUEST]... [--env N=V]... COMPONENT [ARGS]');
  process.exit(2);
}
const component = argv[0];

// Transpiles COMPONENT into COMPONENT-js/ unless that is newer; written to a temporary folder
// and renamed, so concurrent runs of one component never see half a tree.
async function transpiled() {
  const out = `${resolve(component)}-js`;
  const stamp = join(out, 'package.json');
  if (existsSync(stamp) && statSync(stamp).mtimeMs > statSync(component).mtimeMs) return out;
  const { transpile } = await importPackage('@bytecodealliance/jco');
  const { files } = await transpile(readFileSync(component),
    { name: 'component', wasiShim: true, noTypescript: true, quiet: true });
  const tmp = `${out}.tmp${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  for (const [file, bytes] of Object.entries(files)) {
    mkdirSync(dirname(join(tmp, file)), { recursive: true });
    writeFileSync(join(tmp, file), bytes);
  }
  // The bindings import '@bytecodealliance/preview2-shim/...': resolve it from here.
  mkdirSync(join(tmp, 'node_modules', '@bytecodealliance'), { recursive: true });
  symlinkSync(packageDir('@bytecodealliance/preview2-shim'),
    join(tmp, 'node_modules', '@bytecodealliance', 'preview2-shim'), 'dir');
  writeFileSync(join(tmp, 'package.json'), '{"type": "module"}\n');
  rmSync(out, { recursive: true, force: true });
  try {
    renameSync(tmp, out);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });  // another run renamed its copy first
    if (!existsSync(stamp)) throw e;
  }
  return out;
}

ensureInstalled();
const out = await transpiled();
// The same module instances as the bindings' (the symlink resolves to these files).
const shim = (name) => import(pathToFileURL(
  join(packageDir('@bytecodealliance/preview2-shim'), 'dist', 'nodejs', `${name}.js`)).href);
const cli = await shim('cli');
const filesystem = await shim('filesystem');
cli._setEnv(env);
cli._setArgs(argv);
cli._setCwd(undefined);
filesystem._setPreopens({});
for (const [host, guest] of dirs) filesystem._addPreopen(guest, resolve(host));

const mod = await import(pathToFileURL(join(out, 'component.js')).href);
let code = 0;
try {
  await mod.run.run();
} catch (e) {
  code = e instanceof WebAssembly.RuntimeError ? 134 : 1;
  console.error(`${basename(component)}: ${e?.message ?? e}`);
}
await new Promise((done) => setTimeout(done));  // let the shim flush stdout and stderr
process.exit(code);
