// tests/scripts/v8_validate.js LISTFILE: V8's verdict on many modules in one process.
//
// LISTFILE holds one path per line. Prints one line per file, in order:
//   valid PATH            WebAssembly.validate() returned true
//   invalid PATH\tMSG     false; MSG is the CompileError text from new WebAssembly.Module()
// Used by check_differential_v8.py, which runs it with and without V8 feature flags.
'use strict';
const fs = require('fs');

const list = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter((l) => l.length > 0);
const out = [];
for (const path of list) {
  const bytes = fs.readFileSync(path);
  if (WebAssembly.validate(bytes)) {
    out.push(`valid ${path}`);
    continue;
  }
  let message = '';
  try {
    new WebAssembly.Module(bytes);
    message = 'validate() false but Module() compiled';
  } catch (e) {
    message = String(e.message).replace(/[\t\n]/g, ' ');
  }
  out.push(`invalid ${path}\t${message}`);
}
process.stdout.write(out.join('\n') + '\n');
