// Paths and loaders shared by the Node tests.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const pkgDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const root = path.resolve(pkgDir, '../..');
export const vectorsDir = path.join(root, 'crates', 'hooksig', 'tests', 'vectors');

/** The project's copy of the shared vectors, parsed. */
export function loadVectors() {
  const read = (name) => JSON.parse(fs.readFileSync(path.join(vectorsDir, `${name}.json`), 'utf8'));
  return { params: read('params'), collation: read('collation'), bodies: read('bodies') };
}

/**
 * A private copy of the Node build: its own WebAssembly instance, and the
 * package's glue (js/api.js as scripts/build.mjs wrote it into
 * pkg/node/index.cjs) over `patch(wasm)`, so a test can make an export trap
 * or watch the instance's memory without touching the shared package.
 */
export function isolatedBuild(patch = (wasm) => wasm) {
  const require = createRequire(import.meta.url);
  const bindings = path.join(pkgDir, 'pkg', 'node', 'hooksig_wasm.js');
  delete require.cache[bindings];
  const wasm = require(bindings);
  delete require.cache[bindings];
  const index = fs.readFileSync(path.join(pkgDir, 'pkg', 'node', 'index.cjs'), 'utf8');
  const start = index.indexOf('const createApi = (() => {');
  const marker = '\nreturn createApi;\n})();\n';
  const end = index.indexOf(marker, start);
  if (start < 0 || end < 0) throw new Error('pkg/node/index.cjs lacks the createApi block of scripts/build.mjs');
  const createApi = new Function(`${index.slice(start, end + marker.length)}return createApi;`)();
  return { api: createApi(patch(wasm)), wasm };
}
