// Every shared vector through the Node builds: the full one (every vector
// passes) and the light ASCII-keys one (ASCII-key vectors pass, the rest are
// answered `unsupported-key`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { loadVectors } from './helpers.mjs';
import { runVectors, summarize } from './vectors-runner.mjs';
import * as full from 'hooksig';
import * as light from 'hooksig/light';

const docs = loadVectors();
const require = createRequire(import.meta.url);

test('the vector files are the expected ones', () => {
  assert.equal(docs.params.vectors.length, 230);
  assert.equal(docs.collation.vectors.length, 200);
  assert.equal(docs.bodies.vectors.length, 188);
});

test('every vector passes through the Node build', () => {
  const s = summarize(runVectors(full, docs));
  console.log('node build:', JSON.stringify(s));
  assert.deepEqual(s.params, { passed: 230, failed: 0, failures: [] });
  assert.deepEqual(s.collation, { passed: 200, failed: 0, failures: [] });
  assert.deepEqual(s.bodies, { passed: 188, failed: 0, failures: [] });
  assert.deepEqual(s.golden, { passed: 73, failed: 0, failures: [] });
  assert.equal(s.unsupported, 0);
});

test('the CommonJS entry is the same API and passes too', () => {
  const cjs = require('hooksig');
  const s = summarize(runVectors(cjs, docs));
  assert.equal(s.params.failed + s.collation.failed + s.bodies.failed + s.golden.failed, 0);
  // One instance: the ESM wrapper re-exports the CommonJS module.
  assert.equal(cjs.SignatureError, full.SignatureError);
});

test('the light build passes ASCII-key vectors and answers unsupported-key on the rest', () => {
  const s = summarize(runVectors(light, docs, { light: true }));
  console.log('light build:', JSON.stringify(s));
  for (const group of ['params', 'collation', 'bodies', 'golden']) {
    assert.deepEqual(s[group].failures, [], group);
  }
  assert.equal(s.params.passed, 230);
  assert.equal(s.collation.passed, 200);
  assert.equal(s.bodies.passed, 188);
  assert.equal(s.golden.passed, 73);
  // Both halves are exercised: 158 params vectors have a non-ASCII key.
  assert.ok(s.unsupported >= 158 + 171, `only ${s.unsupported} unsupported-key answers`);
});
