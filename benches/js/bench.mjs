#!/usr/bin/env node
// hooksig's npm package (WASM, Node build) against the reference JavaScript.
//
// Prints ns per call and the ratio reference / hooksig (above 1: hooksig is
// faster) for `verifyForm` and `sign` on the shared payloads
// (benches/payloads.json, also read by the Rust and Python benches).
//
// The reference is what the Quick Start receiver runs:
// - verifyForm: body-parser's extended urlencoded parse (`qs.parse` with the
//   options body-parser 2 passes), then the Quick Start's verifySignature
//   (Object.entries + filter + localeCompare sort + createHash('md5') + ===);
// - sign: the same canonical string and MD5 (tools/reference/sender.mjs).
// Both sides start from the same body string.
//
// Targets: >= 2x on deposit and camel64, >= 0.9x (within 10%) on value64k
// (signCold, keys never seen before, has none).
//
//   node benches/js/bench.mjs           # deposit, camel64, value64k (about 30 s)
//   node benches/js/bench.mjs --all     # every payload
//   node benches/js/bench.mjs --smoke   # one call each, results checked, no timing
//
// Needs `npm install && npm run build` in bindings/wasm and `npm ci` in tools/reference.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as hooksig from '../../bindings/wasm/pkg/node/index.mjs';
import { verifySignature } from '../../tools/reference/receiver.mjs';
import { referenceBody, referenceHash } from '../../tools/reference/sender.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const qs = createRequire(path.join(here, '../../bindings/wasm/package.json'))('qs');

const TARGETS = { deposit: 2, camel64: 2, value64k: 0.9 };
const args = new Set(process.argv.slice(2));
const smoke = args.has('--smoke');

/** body-parser 2's parameterCount: segments, or undefined past the limit. */
function parameterCount(body, limit) {
  let count = 0;
  let index = -1;
  do {
    count++;
    if (count > limit) return undefined;
    index = body.indexOf('&', index + 1);
  } while (index !== -1);
  return count;
}

/** The Quick Start receiver's verification of a raw body: req.body, or null. */
function referenceVerifyForm(body, secret, parameterLimit = 1000) {
  const paramCount = parameterCount(body, parameterLimit);
  if (paramCount === undefined) throw new Error('413 too many parameters');
  const params = qs.parse(body, {
    allowPrototypes: true,
    arrayLimit: Math.max(100, paramCount),
    depth: 32,
    charsetSentinel: undefined,
    interpretNumericEntities: undefined,
    charset: 'utf-8',
    parameterLimit,
    strictDepth: true,
  });
  return verifySignature(params, secret) ? params : null;
}

function load() {
  const doc = JSON.parse(fs.readFileSync(path.join(here, '..', 'payloads.json'), 'utf8'));
  const value = (v) => (v !== null && typeof v === 'object' ? v.repeat.repeat(v.count) : v);
  return {
    secret: doc.secret,
    payloads: doc.payloads.map((p) => ({
      name: p.name,
      params: Object.fromEntries(p.params.map(([k, v]) => [k, value(v)])),
    })),
  };
}

/** Calls per timed run: enough for about 20 ms. */
function calibrate(fn) {
  let n = 1;
  for (;;) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    const dt = Number(process.hrtime.bigint() - t0);
    if (dt > 2e7) return n;
    n *= dt < 2e6 ? 10 : 2;
  }
}

/** ns per call of one run of `n` calls. */
function run(fn, n) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn();
  return Number(process.hrtime.bigint() - t0) / n;
}

/**
 * Best ns per call of `a` and of `b`, timed in alternating runs so that both
 * see the same machine load (other processes share this machine's cores).
 */
function compare(a, b, rounds = 25) {
  const na = calibrate(a);
  const nb = calibrate(b);
  let bestA = Infinity;
  let bestB = Infinity;
  for (let r = 0; r < rounds; r++) {
    bestA = Math.min(bestA, run(a, na));
    bestB = Math.min(bestB, run(b, nb));
  }
  return [bestA, bestB];
}

const { secret, payloads } = load();
const wanted = args.has('--all') ? payloads : payloads.filter((p) => p.name in TARGETS);
console.log(`hooksig (WASM, Node ${process.version}); ratio = reference / hooksig (above 1: hooksig is faster)`);
console.log(`${'payload'.padEnd(12)} ${'operation'.padEnd(12)} ${'hooksig ns'.padStart(12)} ${'reference ns'.padStart(13)} ${'ratio'.padStart(8)}`);
const missed = [];
for (const { name, params } of wanted) {
  // The wire body a Node sender posts (fields in input order, URLSearchParams).
  const body = referenceBody(params, secret);
  const segments = body.split('&').length;
  const limit = Math.max(1000, segments);
  const options = { maxParams: limit };
  const cases = [
    ['verifyForm', () => hooksig.verifyForm(body, secret, options), () => referenceVerifyForm(body, secret, limit)],
    ['sign', () => hooksig.sign(params, secret), () => referenceHash(params, secret)],
  ];
  // `sign` keeps the layout of the last four key lists (bindings/wasm
  // README). signCold cycles the same pairs through five key orders, so no
  // layout is ever reused: the cost of keys seen for the first time.
  const entries = Object.entries(params);
  if (entries.length >= 5) {
    const orders = [0, 1, 2, 3, 4].map((j) => {
      const order = [...entries];
      [order[0], order[j]] = [order[j], order[0]];
      return Object.fromEntries(order);
    });
    let a = 0;
    let b = 0;
    cases.push([
      'signCold',
      () => hooksig.sign(orders[(a = (a + 1) % 5)], secret),
      () => referenceHash(orders[(b = (b + 1) % 5)], secret),
    ]);
  }
  for (const [op, ours, reference] of cases) {
    // Both sides agree, on every payload (not only when timing).
    const got = ours();
    const want = reference();
    const same =
      op !== 'verifyForm'
        ? got === want
        : want !== null &&
          JSON.stringify(Object.entries(got).sort()) ===
            JSON.stringify(Object.entries({ ...want }).filter(([k, v]) => k !== 'hash' && v !== '').sort());
    if (!same) {
      console.error(`${name} ${op}: hooksig and the reference disagree`);
      process.exitCode = 1;
    }
    if (smoke) {
      console.log(`${name.padEnd(12)} ${op.padEnd(12)} ${'ok'.padStart(12)} ${'ok'.padStart(13)}`);
      continue;
    }
    const [tOurs, tRef] = compare(ours, reference);
    const ratio = tRef / tOurs;
    const target = op === 'signCold' ? undefined : TARGETS[name];
    const flag = target !== undefined && ratio < target ? `  < target ${target}x` : '';
    if (flag) missed.push(`${name}/${op}`);
    console.log(
      `${name.padEnd(12)} ${op.padEnd(12)} ${tOurs.toFixed(0).padStart(12)} ${tRef.toFixed(0).padStart(13)} ${ratio.toFixed(2).padStart(7)}x${flag}`,
    );
  }
}
if (missed.length) console.log(`targets missed: ${missed.join(', ')}`);
