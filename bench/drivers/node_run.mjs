// bench/drivers/node_run.mjs: runs a benchmark module in V8 (Node.js), timing its phases.
//
//   node [V8 flags] node_run.mjs FILE.wasm            wasm32-wasi command: node:wasi, _start
//   node [V8 flags] node_run.mjs FILE.wasm --invoke run   no-import module: prints run()'s result
//
// The guest's own output goes to stdout; one line "phases compile_ms=.. instantiate_ms=..
// run_ms=.." goes to stderr (compile = WebAssembly.compile, which with Liftoff compiles
// eagerly and tiers up in the background in the default mode).
import { readFileSync } from 'node:fs';
import { WASI } from 'node:wasi';
import { argv, stderr, exit } from 'node:process';

const file = argv[2];
const invoke = argv[3] === '--invoke' ? argv[4] : null;
const bytes = readFileSync(file);
const now = () => Number(process.hrtime.bigint()) / 1e6;

const t0 = now();
const module = await WebAssembly.compile(bytes);
const t1 = now();
let wasi = null;
let imports = {};
if (!invoke) {
  wasi = new WASI({ version: 'preview1', args: [file], env: {}, returnOnExit: true });
  imports = wasi.getImportObject();
}
const instance = await WebAssembly.instantiate(module, imports);
const t2 = now();
let code = 0;
if (invoke) {
  const result = instance.exports[invoke]();
  console.log(String(result));
} else {
  code = wasi.start(instance);
}
const t3 = now();
stderr.write(`phases compile_ms=${(t1 - t0).toFixed(3)} instantiate_ms=${(t2 - t1).toFixed(3)} ` +
             `run_ms=${(t3 - t2).toFixed(3)}\n`);
exit(code);
