// The .d.ts declarations: a TypeScript file using the API compiles, and each
// misuse marked `@ts-expect-error` in it is a real type error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { pkgDir } from './helpers.mjs';

test('types: valid uses compile, misuses are errors (tsc --noEmit)', () => {
  const tsc = path.join(pkgDir, 'node_modules', '.bin', 'tsc');
  const project = path.join(pkgDir, 'test', 'types', 'tsconfig.json');
  let output = '';
  try {
    output = execFileSync(tsc, ['-p', project], { cwd: pkgDir, encoding: 'utf8' });
  } catch (e) {
    assert.fail(`tsc failed:\n${e.stdout}${e.stderr}`);
  }
  assert.equal(output, '');
});
