// tests/wasi/p2/js/cli.js: a WASI command component in JavaScript (componentize-js against
// js/wit/cli.wit, i.e. wasi:cli/command), the JavaScript twin of c/hello.c: prints its
// arguments and environment (wasi:cli/environment), reads input.txt from the first preopen
// and writes output.txt there, upper-cased (wasi:filesystem), lists that folder, echoes stdin
// with `--stdin` (wasi:cli/stdin), writes to stderr, and with `--fail` ends through
// wasi:cli/exit's error (status 1). Its output is deterministic, for check_commands.py.
import { getArguments, getEnvironment } from 'wasi:cli/environment@0.2.12';
import { exit } from 'wasi:cli/exit@0.2.12';
import { getStdin } from 'wasi:cli/stdin@0.2.12';
import { getDirectories } from 'wasi:filesystem/preopens@0.2.12';

const decoder = new TextDecoder();

function readAll(descriptor) {
  const chunks = [];
  let offset = 0n;
  for (;;) {
    const [bytes, end] = descriptor.read(4096n, offset);
    chunks.push(decoder.decode(bytes, { stream: true }));
    offset += BigInt(bytes.length);
    if (end || bytes.length === 0) return chunks.join('') + decoder.decode();
  }
}

function useDataDir() {
  const preopens = getDirectories();
  if (preopens.length === 0) {
    console.log('no preopened directory');
    return;
  }
  const [dir, name] = preopens[0];
  let text;
  try {
    const input = dir.openAt({}, 'input.txt', {}, { read: true });
    text = readAll(input);
  } catch (e) {
    console.log(`open ${name}/input.txt: ${e.payload ?? e}`);
    return;
  }
  console.log(`input.txt (${new TextEncoder().encode(text).length} bytes): ${text.trimEnd()}`);
  const out = dir.openAt({}, 'output.txt', { create: true, truncate: true }, { write: true });
  out.write(new TextEncoder().encode(text.toUpperCase()), 0n);
  // The folder is listed through a descriptor opened on '.', as wasi-libc's opendir does:
  // jco's Node shim answers bad-descriptor to read-directory on the preopen itself.
  const names = [];
  const entries = dir.openAt({}, '.', { directory: true }, { read: true }).readDirectory();
  for (let e; (e = entries.readDirectoryEntry()) !== undefined;) names.push(`${e.name} ${e.type}`);
  for (const entry of names.sort()) console.log(`entry ${entry}`);
}

function echoStdin() {
  const stream = getStdin();
  const chunks = [];
  for (;;) {
    try {
      chunks.push(decoder.decode(stream.blockingRead(4096n), { stream: true }));
    } catch (e) {
      if (e.payload?.tag === 'closed' || e.tag === 'closed') break;
      throw e;
    }
  }
  for (const line of (chunks.join('') + decoder.decode()).split('\n')) {
    if (line !== '') console.log(`stdin: ${line}`);
  }
  console.log('stdin: end');
}

export const run = {
  run() {
    const args = getArguments();
    console.log(`argc ${args.length}`);
    args.slice(1).forEach((arg, i) => console.log(`arg ${i + 1}: ${arg}`));
    for (const [name, value] of getEnvironment()) console.log(`env ${name}=${value}`);
    useDataDir();
    if (args.includes('--stdin')) echoStdin();
    console.error(`cli.js: ${args.length - 1} arguments to stderr`);
    if (args.includes('--fail')) exit({ tag: 'err' });
  },
};
