// Interop with the real reference receiver: the protocol's Quick Start under
// Express 5 (tools/reference/receiver.mjs), started on 127.0.0.1. Bodies built
// by encodeForm (WASM) and by `hooksig sign --form` (the CLI) must be
// accepted, tampered ones refused; bodies from the reference sender
// (URLSearchParams) must pass verifyForm.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { encodeForm, verifyForm, sign } from 'hooksig';
import { referenceBody } from '../../../tools/reference/sender.mjs';
import { root } from './helpers.mjs';

const SECRET = 'op_secret_interop_51c2';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksig-interop-'));

// The three event types, with non-ASCII values and keys, and `+`, `&`, `=`
// (and `%`) inside values; a null and an empty value are not signed.
const EVENTS = [
  [
    ['event', 'DEPOSIT'],
    ['depositId', 'dep_9001'],
    ['externalUserId', 'usér+42&role=admin'],
    ['fiatAmount', 100.5],
    ['fiatCurrency', 'EUR'],
    ['cryptoAmount', '0.00161'],
    ['cryptoCurrency', 'BTC'],
    ['idempotencyKey', '6c1e2a8e-2b0f-4a51-9d7e-3f1b2c9a0d11'],
    ['memo', 'a+b=c&d=e ü 😀 100% == ok'],
    ['référence', 'Zoë ß Ω'],
    ['promo', null],
    ['note', ''],
  ],
  [
    ['event', 'WITHDRAW_REQUEST'],
    ['withdrawRequestId', 'wr_1009'],
    ['externalUserId', 'user=7&x+y'],
    ['fiatAmount', 25],
    ['fiatCurrency', 'EUR'],
    ['address', 'bc1q+/=xy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh'],
    ['network', 'bitcoin'],
    ['comment', 'Ελληνικά — «guillemets» & ümlauts'],
  ],
  [
    ['event', 'WITHDRAW_COMPLETE'],
    ['withdrawRequestId', 'wr_1009'],
    ['txHash', '0x9f2c&=+'],
    ['status', 'completed'],
    ['fee', 0.1 + 0.2],
    ['confirmed', true],
    ['Ärger', 'nein = ja + vielleicht'],
  ],
];

/** What the receiver should see as the signed fields (test oracle). */
function signedFields(params) {
  return Object.fromEntries(
    params
      .filter(([, v]) => v !== null && v !== '' && v !== 'null' && v !== 'undefined')
      .map(([k, v]) => [k, String(v)]),
  );
}

let receiver;
let url;
const seen = [];

before(async () => {
  receiver = spawn(process.execPath, [path.join(root, 'tools/reference/receiver.mjs'), '--port', '0'], {
    env: { ...process.env, OPERATOR_SECRET_KEY: SECRET },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = readline.createInterface({ input: receiver.stdout });
  url = await new Promise((resolve, reject) => {
    receiver.once('exit', (code) => reject(new Error(`receiver exited with ${code}`)));
    lines.on('line', (line) => {
      const m = /^listening on (\S+)$/.exec(line);
      if (m) resolve(m[1]);
      else seen.push(JSON.parse(line));
    });
  });
});

after(() => {
  receiver?.kill();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Waits until the receiver has logged `n` requests (its stdout may lag the response). */
async function logged(n) {
  for (let i = 0; i < 500 && seen.length < n; i++) await new Promise((r) => setTimeout(r, 10));
}

async function post(body) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  return { status: res.status, json: await res.json() };
}

/** `hooksig sign --params FILE --form`, secret in the environment. */
function cliForm(params, name) {
  const file = path.join(tmp, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify(params));
  const bin = process.env.HOOKSIG_BIN || path.join(root, 'target', 'debug', 'hooksig');
  const [cmd, args] = fs.existsSync(bin)
    ? [bin, []]
    : ['cargo', ['run', '-q', '-p', 'hooksig-cli', '--']];
  const out = execFileSync(cmd, [...args, 'sign', '--params', file, '--form'], {
    cwd: root,
    env: { ...process.env, OPERATOR_SECRET_KEY: SECRET },
    encoding: 'utf8',
  });
  return out.replace(/\n$/, '');
}

/** Variants the receiver must refuse (the body changed after signing). */
function tampered(body) {
  const hash = body.slice(-32);
  const flipped = hash.slice(0, -1) + (hash.at(-1) === '0' ? '1' : '0');
  return [
    body.replace(/=([^&])/, '=X$1'), // a value changed
    body.slice(0, -32) + flipped, // the hash changed
    body.replace('&hash=', '&extra=1&hash='), // a field added
    body.replace(/^[^&]*&/, ''), // a field removed
  ];
}

for (const params of EVENTS) {
  const event = params[0][1];

  test(`${event}: encodeForm (WASM) and the CLI build bodies the receiver accepts`, async () => {
    const wasmBody = encodeForm(params, SECRET);
    const cliBody = cliForm(params, event);
    assert.equal(cliBody, wasmBody, 'the CLI and WASM build the same bytes');
    for (const body of [wasmBody, cliBody]) {
      const before = seen.length;
      assert.deepEqual(await post(body), { status: 200, json: { error: 0, description: 'ok' } });
      // The receiver saw exactly the signed fields (and the hash).
      await logged(before + 1);
      const last = seen.at(-1);
      assert.equal(seen.length, before + 1);
      assert.deepEqual({ ...last.body }, { ...signedFields(params), hash: sign(params, SECRET) });
    }
  });

  test(`${event}: tampered bodies get 401`, async () => {
    for (const body of tampered(encodeForm(params, SECRET))) {
      const res = await post(body);
      assert.equal(res.status, 401, body);
      assert.deepEqual(res.json, { error: 1, description: 'invalid signature' });
      assert.throws(() => verifyForm(body, SECRET), { name: 'InvalidSignature' });
    }
  });

  test(`${event}: reference sender bodies pass verifyForm (and the receiver)`, async () => {
    const body = referenceBody(params, SECRET);
    assert.deepEqual(verifyForm(body, SECRET), signedFields(params));
    assert.equal((await post(body)).status, 200);
    // The sender's own CLI prints the same body.
    const file = path.join(tmp, `${event}-sender.json`);
    fs.writeFileSync(file, JSON.stringify(params));
    const printed = execFileSync(
      process.execPath,
      [path.join(root, 'tools/reference/sender.mjs'), '--params', file, '--print'],
      { env: { ...process.env, OPERATOR_SECRET_KEY: SECRET }, encoding: 'utf8' },
    );
    assert.equal(printed, body);
    assert.deepEqual(verifyForm(printed, SECRET), signedFields(params));
  });
}
