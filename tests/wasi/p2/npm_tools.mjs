// tests/wasi/p2/npm_tools.mjs: the npm tools of the Preview 2 tests, shared with the real
// components of tests/components (one npm project: its package.json and package-lock.json).
// Node resolves packages from the importing file's folder upwards, and tests/wasi/p2 is not
// under tests/components, so the packages are imported here by their resolved entry files.
// `npm ci` installs them from the lockfile when they are missing (the only network step).
// Also: the shared test data folder ($ZINC_SHARED, default ../shared beside the repository).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const here = dirname(fileURLToPath(import.meta.url));
export const repo = resolve(here, '..', '..', '..');
export const npmProject = join(repo, 'tests', 'components');
export const nodeModules = join(npmProject, 'node_modules');

export function sharedDir() {
  return process.env.ZINC_SHARED ? resolve(process.env.ZINC_SHARED) : resolve(repo, '..', 'shared');
}

// Installs the npm project when it is not installed. Meson runs tests in parallel and several
// of them need these tools (tests/components/check_components.py too), so the check and the
// install happen under one lock, $TMPDIR/zinc-npm-ci.lock (flock), shared with that script.
export function ensureInstalled() {
  const marker = join(nodeModules, '@bytecodealliance', 'jco', 'package.json');
  execFileSync('flock', [join(tmpdir(), 'zinc-npm-ci.lock'), 'sh', '-c',
    'test -f "$0" || npm ci --no-audit --no-fund', marker],
  { cwd: npmProject, stdio: ['ignore', 'inherit', 'inherit'] });
}

// The folder of an installed package.
export function packageDir(name) {
  return join(nodeModules, ...name.split('/'));
}

// The ES module entry of a package: its package.json "exports" (the "." entry, first of the
// conditions import/node/default that it has), else "module" or "main".
function entryOf(name) {
  const dir = packageDir(name);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  let entry = pkg.exports;
  if (entry && typeof entry === 'object' && '.' in entry) entry = entry['.'];
  while (entry && typeof entry === 'object') {
    entry = entry.import ?? entry.node ?? entry.default;
  }
  entry = entry ?? pkg.module ?? pkg.main ?? 'index.js';
  return join(dir, entry);
}

// Imports an npm package of tests/components (installing the project first if needed).
export async function importPackage(name) {
  ensureInstalled();
  return import(pathToFileURL(entryOf(name)).href);
}
