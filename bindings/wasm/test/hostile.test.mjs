// Hostile input through the WASM build: each case gets a typed error or a
// correct answer (asserted exactly), with no crash, trap, hang or blow-up.
// The same cases as crates/hooksig/tests/hostile.rs; expected hashes come from
// node:crypto over canonical + secret, independently of hooksig.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { sign, verify, canonical, encodeForm, verifyForm, SignatureError } from 'hooksig';

const S = 's';
const md5 = (text) => createHash('md5').update(text, 'utf8').digest('hex');

/** [class name, kind, index] of what `fn` throws. */
function caught(fn) {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof SignatureError, `${e} is not a SignatureError`);
    return [e.name, e.kind, e.index];
  }
  assert.fail('did not throw');
}

test('10 MiB bodies', () => {
  const value = 'ab cd'.repeat(2 << 20);
  const body = encodeForm({ data: value }, S);
  assert.ok(body.length > 10 << 20);
  assert.ok(body.endsWith(`hash=${md5(`data=${value}${S}`)}`));
  assert.deepEqual(verifyForm(body, S), { data: value });
  assert.deepEqual(caught(() => verifyForm('%'.repeat(10 << 20), S)), ['MalformedBody', 'invalid-encoding', 0]);
  assert.deepEqual(caught(() => verifyForm(Buffer.from('a=1&'.repeat(10 << 18)), S)).slice(0, 2), ['MalformedBody', 'too-many-params']);
});

test('100,000 ampersands', () => {
  const body = `${'&'.repeat(100_000)}a=1&hash=${md5(`a=1${S}`)}`;
  assert.equal(caught(() => verifyForm(body, S))[1], 'too-many-params');
  assert.deepEqual(verifyForm(body, S, { maxParams: 100_002 }), { a: '1' });
  assert.equal(caught(() => verifyForm(body, S, { maxParams: 100_001 }))[1], 'too-many-params');
});

test('1000 duplicate keys', () => {
  assert.deepEqual(caught(() => verifyForm(Array(1000).fill('a=1').join('&'), S)), ['MalformedBody', 'duplicate-key', 1]);
  const keys = Array.from({ length: 999 }, (_, i) => `k${i}=1`).concat('k500=2');
  assert.deepEqual(caught(() => verifyForm(keys.join('&'), S)).slice(1), ['duplicate-key', 999]);
});

test('keys of 64 KiB', () => {
  const key = 'k'.repeat(64 << 10);
  const sig = md5(`${key}=1${S}`);
  assert.deepEqual(verifyForm(`${key}=1&hash=${sig}`, S), { [key]: '1' });
  assert.deepEqual(verifyForm(`${'%6B'.repeat(64 << 10)}=1&hash=${sig}`, S), { [key]: '1' });
});

test('% at the end', () => {
  for (const [body, index] of [['a=1%', 0], ['a=1&b=%', 1], ['a=1&b=%4', 1], ['a=1&%', 1]]) {
    assert.deepEqual(caught(() => verifyForm(body, S)), ['MalformedBody', 'invalid-encoding', index], body);
  }
});

test('overlong UTF-8 and surrogates, escaped and raw', () => {
  const bodies = ['a=%C0%AF', 'a=%C0%80', 'a=%E0%80%80', 'a=%ED%A0%80', '%ED%A0%80=1']
    .map((b) => Buffer.from(b))
    .concat([Buffer.from([0x61, 0x3d, 0xc0, 0xaf]), Buffer.from([0x61, 0x3d, 0xed, 0xa0, 0x80])]);
  for (const body of bodies) {
    assert.deepEqual(caught(() => verifyForm(body, S)), ['MalformedBody', 'invalid-encoding', 0], String(body));
  }
});

test('NUL bytes: distinct keys that tie keep input order', () => {
  const params = [['a\0', '1'], ['a', '2'], ['\0a', '3']];
  assert.equal(canonical(params), 'a\0=1&a=2&\0a=3');
  const sig = sign(params, S);
  assert.equal(sig, md5(`a\0=1&a=2&\0a=3${S}`));
  assert.deepEqual(Object.entries(verifyForm(`a%00=1&a=2&%00a=3&hash=${sig}`, S)), params);
  assert.deepEqual(Object.entries(verifyForm(Buffer.from(`a\0=1&a=2&\0a=3&hash=${sig}`), S)), params);
});

test('a raw BOM is stripped, a percent-encoded one is part of the key', () => {
  const plain = md5(`a=1${S}`);
  const bom = md5(`\uFEFFa=1${S}`);
  assert.deepEqual(verifyForm(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`a=1&hash=${plain}`)]), S), { a: '1' });
  assert.deepEqual(caught(() => verifyForm(`%EF%BB%BFa=1&hash=${plain}`, S)).slice(0, 2), ['InvalidSignature', 'mismatch']);
  assert.deepEqual(verifyForm(`%EF%BB%BFa=1&hash=${bom}`, S), { '\uFEFFa': '1' });
});

test('10,000 tied keys', () => {
  const keys = Array.from({ length: 10_000 }, (_, i) => {
    const pad = Array.from({ length: 5 }, (_, d) => String.fromCharCode((i >> (3 * d)) & 7)).join('');
    return i % 2 === 0 ? `${pad}a` : `a${pad}`;
  });
  const params = keys.map((k) => [k, 'v']);
  const text = keys.map((k) => `${k}=v`).join('&');
  assert.equal(canonical(params), text);
  const sig = sign(params, S);
  assert.equal(sig, md5(text + S));
  verify([...params, ['hash', sig]], S);
  assert.deepEqual(caught(() => sign([...params, params[4321]], S)).slice(1), ['duplicate-key', 10_000]);
});

test('100,000 distinct keys', () => {
  const keys = Array.from({ length: 100_000 }, (_, i) => `k${String(99_999 - i).padStart(5, '0')}`);
  const text = [...keys].reverse().map((k) => `${k}=1`).join('&');
  const params = keys.map((k) => [k, 1]);
  assert.equal(canonical(params), text);
  assert.equal(sign(params, S), md5(text + S));
});

test('values of 16 MiB', () => {
  const value = 'x'.repeat(16 << 20);
  const sig = sign({ v: value }, S);
  assert.equal(sig, '124c86a8c04220bdc7074e7444e419b9');
  verify({ v: value, hash: sig }, S);
});
