// A canary secret must never come back: not in a return value, an error
// (message, stack, any property) or an explain report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as full from 'hooksig';
import * as light from 'hooksig/light';
import { loadVectors } from './helpers.mjs';

const CANARY = 'CANARY-7d1f-secret';
const docs = loadVectors();

/** Everything observable about an outcome, as text. */
function observe(fn) {
  try {
    const value = fn();
    return JSON.stringify(value) ?? String(value);
  } catch (e) {
    return [String(e), e.stack, e.message, JSON.stringify(e), JSON.stringify(Object.entries(e))].join('\n');
  }
}

for (const [name, api] of [
  ['full', full],
  ['light', light],
]) {
  test(`${name} build: no output contains the secret`, () => {
    const secrets = [CANARY, [CANARY], ['other', CANARY], [CANARY, `${CANARY}-2`]];
    const bodies = docs.bodies.vectors.map((v) => v.body);
    // Bodies that match the canary, so the "valid" paths are covered too.
    for (const v of docs.params.vectors.slice(0, 40)) {
      bodies.push(observe(() => api.encodeForm(v.params, CANARY)).replace(/^"|"$/g, ''));
    }
    let observed = 0;
    for (const body of bodies) {
      for (const secret of secrets) {
        for (const out of [
          observe(() => api.verifyForm(body, secret)),
          observe(() => api.verifyFormDetailed(new TextEncoder().encode(body), secret)),
          observe(() => api.explain(body, secret)),
        ]) {
          assert.ok(!out.includes(CANARY), `leak: ${out.slice(0, 300)}`);
          observed++;
        }
      }
    }
    for (const v of docs.params.vectors) {
      for (const out of [
        observe(() => api.sign(v.params, CANARY)),
        observe(() => api.encodeForm(v.params, CANARY)),
        observe(() => api.verify([...v.params, ['hash', v.hash]], [CANARY, 'x'])),
        observe(() => api.sign([...v.params, ['bad', [1]]], CANARY)),
        observe(() => api.sign(v.params, `${CANARY}\uD800`)),
      ]) {
        assert.ok(!out.includes(CANARY), `leak: ${out.slice(0, 300)}`);
        observed++;
      }
    }
    // The probe does see text that is there (a value is echoed by canonical).
    assert.ok(observe(() => api.canonical({ s: CANARY })).includes(CANARY));
    // The error path after a trap, too.
    assert.ok(!observe(() => api.default[Symbol.for('hooksig.trap')]()).includes(CANARY));
    assert.ok(observed > 3000);
  });
}
