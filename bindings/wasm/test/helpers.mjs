// Paths and loaders shared by the Node tests.
import fs from 'node:fs';
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
