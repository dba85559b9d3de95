// The JS API: type conversion, error classes, bodies as strings/bytes, options,
// trap recovery. Expected hashes come from the shared vectors or from the
// independent reference sender (tools/reference/sender.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import vm from 'node:vm';
import { execFileSync } from 'node:child_process';
import hooksig, * as namespace from 'hooksig';
import {
  sign,
  verify,
  canonical,
  encodeForm,
  verifyForm,
  verifyFormDetailed,
  explain,
  SignatureError,
  InvalidSignature,
  MalformedBody,
  InvalidValue,
} from 'hooksig';
import { referenceBody, referenceCanonical, referenceHash, toObject } from '../../../tools/reference/sender.mjs';
import { loadVectors, isolatedBuild } from './helpers.mjs';

/** The test-only trap: a hidden property of the default export, not an export. */
const trap = hooksig[Symbol.for('hooksig.trap')];
const md5 = (text) => createHash('md5').update(text, 'utf8').digest('hex');

const docs = loadVectors();
const deposit = docs.params.vectors.find((v) => v.id === 'deposit-basic');
const depositObject = Object.fromEntries(deposit.params);

/** Asserts `fn` throws `Class` with this kind (and index, when given). */
function throwsKind(fn, Class, kind, index) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof Class, `${e} is not a ${Class.name}`);
    assert.ok(e instanceof SignatureError && e instanceof Error);
    assert.equal(e.name, Class.name);
    assert.equal(e.kind, kind);
    if (index !== undefined) assert.equal(e.index, index);
    return true;
  });
}

test('params as an object, an array of pairs or a Map sign alike', () => {
  assert.equal(sign(deposit.params, deposit.secret), deposit.hash);
  assert.equal(sign(depositObject, deposit.secret), deposit.hash);
  assert.equal(sign(new Map(deposit.params), deposit.secret), deposit.hash);
  assert.equal(sign(Object.assign(Object.create(null), depositObject), deposit.secret), deposit.hash);
  assert.equal(canonical(depositObject), deposit.canonical);
  // Plain objects and Maps of another realm (a vm context, an iframe) too.
  assert.equal(sign(vm.runInNewContext(`(${JSON.stringify(depositObject)})`), deposit.secret), deposit.hash);
  assert.equal(sign(vm.runInNewContext(`new Map(${JSON.stringify(deposit.params)})`), deposit.secret), deposit.hash);
});

test('a Map is read in insertion order: it breaks collation ties like the pairs order', () => {
  // `a` and `A` tie at the primary level only; NUL-padded keys tie completely.
  const tied = [['a\0', '1'], ['a', '2'], ['\0a', '3']];
  assert.equal(canonical(new Map(tied)), 'a\0=1&a=2&\0a=3');
  assert.equal(canonical(new Map([...tied].reverse())), '\0a=3&a=2&a\0=1');
  throwsKind(() => canonical(new Map([['k', '1'], [2, '2']])), InvalidValue, 'invalid-value', 1);
});

test('objects that are not plain, a Map or pairs are refused, never read as objects', () => {
  class Payload {
    constructor() {
      this.event = 'DEPOSIT';
    }
  }
  const form = new FormData();
  form.append('a', '1');
  // Read with Object.keys, each of these signed no field (or "0=a&1=b").
  for (const params of [
    new URLSearchParams('a=1&b=2'),
    form,
    new Date(0),
    new String('ab'),
    new Payload(),
    new Set([['a', '1']]),
    new Headers({ a: '1' }),
    /a=1/,
    () => 'a=1',
  ]) {
    for (const fn of [() => sign(params, 's'), () => canonical(params), () => encodeForm(params, 's'),
      () => verify(params, 's')]) {
      throwsKind(fn, InvalidValue, 'invalid-value');
    }
  }
  assert.throws(() => sign(new URLSearchParams('a=1'), 's'), /not a URLSearchParams \(for its entries, pass \[\.\.\.params\]\)/);
  assert.throws(() => sign(new Payload(), 's'), /not a Payload$/);
  // The suggested way for a URLSearchParams: its entries, as pairs.
  assert.equal(sign([...new URLSearchParams('a=1&b=2')], 's'), referenceHash({ a: '1', b: '2' }, 's'));
});

test('numbers go to the core as doubles and are formatted like String(number)', () => {
  const cases = [1e21, 1e16, 1e-7, 0.1 + 0.2, -0, NaN, Infinity, -Infinity, 123456789012345680000, 5e-324];
  for (const x of cases) {
    assert.equal(canonical({ a: x }), `a=${x}`);
    assert.equal(sign({ a: x }, 's'), referenceHash({ a: x }, 's'));
  }
  assert.equal(canonical({ t: true, f: false }), 'f=false&t=true');
});

test('null and undefined drop the pair, as in the reference', () => {
  assert.equal(canonical([['a', null], ['b', undefined], ['c', 'x']]), 'c=x');
  assert.equal(canonical({ a: 'null', b: 'undefined', c: '' }), '');
  assert.equal(sign({ a: null, c: 'x' }, 's'), referenceHash({ a: null, c: 'x' }, 's'));
});

test('array and object values are refused with invalid-value, never stringified', () => {
  throwsKind(() => sign({ a: '1', b: ['1', '2'] }, 's'), InvalidValue, 'invalid-value', 1);
  throwsKind(() => canonical({ a: { b: '1' } }), InvalidValue, 'invalid-value', 0);
  throwsKind(() => encodeForm([['x', 1n]], 's'), InvalidValue, 'invalid-value', 0);
  throwsKind(() => verify({ a: Symbol('s'), hash: deposit.hash }, 's'), InvalidValue, 'invalid-value', 0);
});

test('a lone surrogate in a key, value or secret is invalid-encoding, not U+FFFD', () => {
  throwsKind(() => sign({ a: 'x\uD800' }, 's'), MalformedBody, 'invalid-encoding', 0);
  throwsKind(() => canonical([['ok', '1'], ['\uDC00k', '1']]), MalformedBody, 'invalid-encoding', 1);
  throwsKind(() => sign({ a: '1' }, 's\uD800'), MalformedBody, 'invalid-encoding');
  throwsKind(() => verifyForm('a=\uD800', 's'), MalformedBody, 'invalid-encoding', 0);
  // Halves of a pair split across two strings are each lone: refused, even
  // though the strings side by side would pair up.
  throwsKind(() => sign([['a\uD83D', '\uDE00']], 's'), MalformedBody, 'invalid-encoding', 0);
  throwsKind(() => canonical([['k', 'v\uD83D'], ['\uDE00', '1']]), MalformedBody, 'invalid-encoding', 0);
  throwsKind(() => sign([['\uDE00', '1']], 's\uD83D'), MalformedBody, 'invalid-encoding');
  throwsKind(() => verifyForm('\uDE00a=1', 's\uD83D'), MalformedBody, 'invalid-encoding');
  // A well-formed pair of surrogates is fine.
  assert.equal(sign({ a: '\uD83D\uDE00' }, 's'), referenceHash({ a: '😀' }, 's'));
  // Long strings are encoded on their own (not joined to the rest): the same answers.
  const long = 'é'.repeat(5000);
  throwsKind(() => sign([['a', '1'], ['b', long + '\uD800' + long]], 's'), MalformedBody, 'invalid-encoding', 1);
  throwsKind(() => sign([['a', long], ['b', '\uDC00']], 's'), MalformedBody, 'invalid-encoding', 1);
  throwsKind(() => sign([['k'.repeat(3000) + '\uD800', '1']], 's'), MalformedBody, 'invalid-encoding', 0);
  const params = { z: long, a: 'x', [long]: '😀'.repeat(2000), m: long + 'y' };
  assert.equal(sign(params, 's'), referenceHash(params, 's'));
  assert.equal(canonical(params), referenceCanonical(params));
});

test('params are read once, even when a suspect surrogate makes the glue pack them again', () => {
  let reads = 0;
  // 'v\uD83D' ends with a high surrogate: the glue checks every string again.
  const lone = { k: 'v\uD83D', get b() { reads++; return '1'; } };
  throwsKind(() => sign(lone, 's'), MalformedBody, 'invalid-encoding', 0);
  assert.equal(reads, 1);
  const paired = { get a() { reads++; return 'x\uD83D\uDE00'; }, b: '\uD83D' + '\uDE00' };
  assert.equal(sign(paired, 's'), referenceHash({ a: 'x😀', b: '😀' }, 's'));
  assert.equal(reads, 2);
});

test('a string body with a lone surrogate: the core parser finds it, first fault from the left decides', () => {
  // Earlier faults win over the lone surrogate, as in a byte body.
  throwsKind(() => verifyForm('a=1&a=2&b=\uD800', 's'), MalformedBody, 'duplicate-key', 1);
  throwsKind(() => verifyForm('a=1&=2&b=\uDC00', 's'), MalformedBody, 'empty-key', 1);
  throwsKind(() => verifyForm('a=1&b=%ZZ&c=\uD800', 's'), MalformedBody, 'invalid-encoding', 1);
  // The lone surrogate's own segment, key or value, high or low, raw at the end too.
  throwsKind(() => verifyForm('a=\uD800&b', 's'), MalformedBody, 'invalid-encoding', 0);
  throwsKind(() => verifyForm('a=\uD800&a=2', 's'), MalformedBody, 'invalid-encoding', 0);
  throwsKind(() => verifyForm('a=1&\uDC00=2', 's'), MalformedBody, 'invalid-encoding', 1);
  throwsKind(() => verifyForm('a=\uD83D\uDE00&b=x\uD83D', 's'), MalformedBody, 'invalid-encoding', 1);
  throwsKind(() => verifyFormDetailed('a=1&b=2&c=\uDE00\uD83D', ['s']), MalformedBody, 'invalid-encoding', 2);
  // The same as the bytes a WTF-8 encoder writes (ED A0 80 is U+D800), which are not UTF-8.
  const wtf8 = Buffer.from([0x61, 0x3d, 0x31, 0x26, 0x62, 0x3d, 0xed, 0xa0, 0x80]); // a=1&b=<D800>
  throwsKind(() => verifyForm(wtf8, 's'), MalformedBody, 'invalid-encoding', 1);
  throwsKind(() => verifyForm('a=1&b=\uD800', 's'), MalformedBody, 'invalid-encoding', 1);
  // explain reports it at its segment (before, a string body threw instead of reporting).
  const report = explain('a=1&b=\uD800&hash=x', 's');
  assert.equal(report.valid, false);
  assert.deepEqual([report.error.kind, report.error.index], ['invalid-encoding', 1]);
  assert.deepEqual(explain(wtf8, 's').error, report.error);
  // A leading BOM is still stripped; a well-formed body is unaffected.
  throwsKind(() => verifyForm('\uFEFFa=1&a=2&b=\uD800', 's'), MalformedBody, 'duplicate-key', 1);
  const body = encodeForm({ a: '\uD83D\uDE00' }, 's');
  assert.deepEqual(verifyForm(body, 's'), { a: '😀' });
});

test('the core refuses empty and duplicate keys in typed params too', () => {
  throwsKind(() => sign([['', '1']], 's'), MalformedBody, 'empty-key', 0);
  throwsKind(() => sign([['a', '1'], ['a', '2']], 's'), MalformedBody, 'duplicate-key', 1);
});

test('secrets: missing or empty is empty-secret; several rotate', () => {
  throwsKind(() => sign(depositObject, ''), InvalidValue, 'empty-secret');
  throwsKind(() => sign(depositObject, undefined), InvalidValue, 'empty-secret');
  throwsKind(() => verifyForm('a=1', []), InvalidValue, 'empty-secret');
  const body = encodeForm(depositObject, 'new');
  assert.deepEqual(verifyFormDetailed(body, ['old', 'new']).secretIndex, 1);
  verify({ ...depositObject, hash: sign(depositObject, 'new') }, ['old', 'new']);
  throwsKind(() => verify({ ...depositObject, hash: deposit.hash }, 'wrong'), InvalidSignature, 'mismatch');
  throwsKind(() => verify(depositObject, deposit.secret), InvalidSignature, 'missing-hash');
});

test('malformed arguments are InvalidValue invalid-value, with the pair index when a pair is at fault', () => {
  throwsKind(() => sign('a=1', 's'), InvalidValue, 'invalid-value');
  throwsKind(() => sign(null, 's'), InvalidValue, 'invalid-value');
  throwsKind(() => canonical(undefined), InvalidValue, 'invalid-value');
  throwsKind(() => sign([['a', '1'], ['a']], 's'), InvalidValue, 'invalid-value', 1);
  throwsKind(() => sign([['a', '1'], 'b=2'], 's'), InvalidValue, 'invalid-value', 1);
  throwsKind(() => sign([[1, 'a']], 's'), InvalidValue, 'invalid-value', 0);
  throwsKind(() => sign({ a: '1' }, 42), InvalidValue, 'invalid-value');
  throwsKind(() => verify({ a: '1' }, ['s', 42]), InvalidValue, 'invalid-value');
  throwsKind(() => verifyForm(42, 's'), InvalidValue, 'invalid-value');
  throwsKind(() => verifyForm(new Uint16Array(2), 's'), InvalidValue, 'invalid-value');
  throwsKind(() => explain('a=1', 's', { maxParams: -1 }), InvalidValue, 'invalid-value');
  throwsKind(() => verifyForm('a=1', 's', { maxParams: 1.5 }), InvalidValue, 'invalid-value');
  throwsKind(() => verifyForm('a=1', 's', 10), InvalidValue, 'invalid-value');
  for (const fn of [() => sign({ a: '1' }, 42), () => verifyForm(42, 's'), () => sign([[1, 'a']], 's')]) {
    assert.throws(fn, (e) => !(e instanceof TypeError) && e.category === 'input' && /^hooksig: /.test(e.message));
  }
  assert.throws(() => sign([[1, 'a']], 's'), /the key of parameter 1 must be a string, not a number/);
  // The message names the type, never the content (it may be the secret).
  assert.throws(() => sign({ a: '1' }, new String('s3cret')), (e) => !e.message.includes('s3cret'));
});

test('the error classes: the kind first, the category of the class by default', () => {
  const e = new InvalidSignature('mismatch', 'signature mismatch');
  assert.deepEqual([e.kind, e.message, e.index, e.category, e.name], ['mismatch', 'signature mismatch', undefined, 'signature', 'InvalidSignature']);
  assert.equal(new MalformedBody('duplicate-key', 'm', 1).category, 'body');
  assert.equal(new InvalidValue('invalid-value').category, 'input');
  assert.equal(new SignatureError('internal').category, 'internal');
  assert.equal(new (class extends MalformedBody {})('empty-key').category, 'body');
  const cause = new Error('x');
  assert.equal(new SignatureError('internal', 'm', undefined, 'internal', cause).cause, cause);
});

test('the named exports are the API, and nothing test-only', () => {
  const names = ['InvalidSignature', 'InvalidValue', 'MalformedBody', 'SignatureError', 'canonical',
    'default', 'encodeForm', 'explain', 'sign', 'verify', 'verifyForm', 'verifyFormDetailed'];
  assert.deepEqual(Object.keys(namespace).sort(), names);
  assert.deepEqual(Object.keys(hooksig).sort(), names.filter((n) => n !== 'default'));
  assert.ok(!('__trap' in namespace) && !('__trap' in hooksig));
  assert.equal(typeof trap, 'function');
  assert.ok(!Object.getOwnPropertyDescriptor(hooksig, Symbol.for('hooksig.trap')).enumerable);
});

test('a call from a getter of params is refused, not mixed into the outer call', () => {
  const params = {
    a: '1',
    get b() {
      return sign({ x: '1' }, 's');
    },
  };
  throwsKind(() => sign(params, 's'), InvalidValue, 'invalid-value');
  assert.throws(() => sign(params, 's'), /called while reading the params of another call/);
  assert.throws(() => canonical(new Map([['k', { toString: () => 'v' }]])), InvalidValue);
  // A getter that removes a key the outer call is about to read.
  const shrinking = {
    get a() {
      delete this.b;
      return '1';
    },
    b: '2',
  };
  throwsKind(() => sign(shrinking, 's'), InvalidValue, 'invalid-value');
  assert.equal(sign(deposit.params, deposit.secret), deposit.hash);
});

test('a call from a getter of the secrets or of a body is refused or harmless, never mixed in', () => {
  const good = { a: '1', b: '2' };
  const hash = sign(good, 'right');
  const body = encodeForm(good, 'right');
  // A secrets list whose getter calls hooksig while the list is read.
  const secrets = ['wrong'];
  Object.defineProperty(secrets, 1, { get: () => (sign({ q: 'z' }, 'k'), 'right') });
  assert.throws(() => verify({ ...good, hash }, secrets), /called while reading the params of another call/);
  throwsKind(() => verifyFormDetailed(body, secrets), InvalidValue, 'invalid-value');
  const fine = ['wrong'];
  Object.defineProperty(fine, 1, { get: () => 'right' });
  assert.deepEqual(verifyFormDetailed(body, fine), { params: good, secretIndex: 1 });
  // A Uint8Array whose own `length` calls hooksig: it is read by its slots only.
  class Sneaky extends Uint8Array {
    get length() {
      sign({ zz: 'q', yy: 'r' }, 'k');
      return super.length;
    }
  }
  assert.deepEqual(verifyFormDetailed(new Sneaky(Buffer.from(body)), ['wrong', 'right']), { params: good, secretIndex: 1 });
  // Nor can an own `length` cut the body short.
  class Liar extends Uint8Array {
    get length() {
      return 3;
    }
  }
  assert.deepEqual(verifyForm(new Liar(Buffer.from(body)), 'right'), good);
  // A proxy of one is not a Uint8Array; a Uint8Array or ArrayBuffer of another realm is.
  throwsKind(() => verifyForm(new Proxy(Buffer.from(body), {}), 'right'), InvalidValue, 'invalid-value');
  const other = vm.runInNewContext('(b) => [new Uint8Array(b), new Uint8Array(b).buffer]')([...Buffer.from(body)]);
  for (const b of other) assert.deepEqual(verifyForm(b, 'right'), good);
  // A plain object whose getter verifies a body: both calls get their answer.
  const params = {
    x: '1',
    get y() {
      assert.deepEqual(verifyForm(body, 'right'), good);
      return '2';
    },
  };
  assert.equal(sign(params, 's'), referenceHash({ x: '1', y: '2' }, 's'));
});

test('nothing big stays alive through the kept keys of sign or verifyForm', () => {
  // In a child with --expose-gc: the heap after dropping everything, against
  // the heap before. The keys are long enough for V8 to make them slices.
  const script = `
    const api = (await import(${JSON.stringify(new URL('../pkg/node/index.mjs', import.meta.url).href)})).default;
    const key = 'withdrawRequestIdentifier';
    const heap = () => (gc(), gc(), process.memoryUsage().heapUsed);
    const before = heap();
    (() => {
      // A decoded value (escaped in the body) next to a long key, as string and bytes.
      const body = api.encodeForm({ [key]: 'é '.repeat(4_000_000), b: '1' }, 's');
      api.verifyForm(body, 's');
      api.verifyForm(Buffer.from(body), 's');
      // A Map key sliced from a big string.
      const big = '{"' + key + '":"' + 'y'.repeat(30_000_000) + '"}';
      api.sign(new Map([[big.slice(2, 2 + key.length), 'v']]), 's');
      api.sign(new Map([[big.slice(2, 2 + key.length), 'v']]), 's');
    })();
    console.log(heap() - before);
  `;
  const held = Number(execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8' }));
  assert.ok(held < 4e6, `${(held / 1e6).toFixed(1)} MB held`);
});

test('verifyForm returns the signed fields only; verifyFormDetailed the secret index', () => {
  const body = referenceBody([...deposit.params, ['memo', ''], ['note', 'null']], deposit.secret);
  assert.deepEqual(verifyForm(body, deposit.secret), depositObject);
  assert.deepEqual(verifyFormDetailed(body, [deposit.secret]), { params: depositObject, secretIndex: 0 });
});

test('bodies: string, Buffer, Uint8Array and ArrayBuffer are the same UTF-8 bytes', () => {
  const params = { 'clé': 'a+b=c&d é 😀', event: 'DEPOSIT' };
  const body = encodeForm(params, 's');
  const bytes = new TextEncoder().encode(body);
  for (const b of [body, Buffer.from(body), bytes, bytes.buffer.slice(0)]) {
    assert.deepEqual(verifyForm(b, 's'), params);
  }
});

test('fields of an ASCII string body come back sliced from it, decoded ones as decoded, raw UTF-8 too', () => {
  const long = 'x'.repeat(1 << 20);
  const params = { a: long, b: 'two words', __proto__x: '1', 'k é': 'v', z: 'é' };
  const body = encodeForm(params, 's');
  assert.deepEqual(verifyForm(body, 's'), verifyForm(Buffer.from(body), 's'));
  assert.equal(verifyForm(body, 's').a.length, long.length);
  assert.deepEqual(verifyForm(body, 's'), params);
  // A raw (not percent-encoded) non-ASCII body: nothing is sliced.
  const raw = `a=1&\u00e9=\u00e9\u00e9&hash=${sign({ a: '1', 'é': 'éé' }, 's')}`;
  assert.deepEqual(verifyForm(raw, 's'), { a: '1', 'é': 'éé' });
  const proto = `__proto__=1&hash=${sign([['__proto__', '1']], 's')}`;
  assert.equal(Object.getOwnPropertyDescriptor(verifyForm(proto, 's'), '__proto__').value, '1');
});

test('a raw leading BOM is stripped by the core, from a string body too; an escaped one is a key', () => {
  const body = encodeForm({ a: '1' }, 's');
  assert.deepEqual(verifyForm('\uFEFF' + body, 's'), { a: '1' });
  assert.deepEqual(verifyForm(new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from(body)]), 's'), { a: '1' });
  throwsKind(() => verifyForm('%EF%BB%BF' + body, 's'), InvalidSignature, 'mismatch');
});

test('a __proto__ field stays an own field and pollutes nothing', () => {
  const params = [['__proto__', 'x'], ['a', '1']];
  const body = encodeForm(params, 's');
  const fields = verifyForm(body, 's');
  assert.ok(Object.hasOwn(fields, '__proto__'));
  assert.equal(fields.__proto__, 'x');
  assert.equal(Object.getPrototypeOf(fields), Object.prototype);
  assert.equal({}.x, undefined);
  assert.equal(body, referenceBody(toObject(params), 's'));
});

test('many fields (returned as JSON by the module): every character survives, __proto__ stays own', () => {
  const params = [['__proto__', 'p'], ['q"uo\\te', 'v"\\'], ['ctl', '\u0000\u0001\u001f\u007f'],
    ['clé', 'é😀\u2028\u2029'], ['1', 'index-like'], ['hash2', 'x']];
  for (let i = 0; i < 20; i++) params.push([`k${i}`, `v${i} & = + %`]);
  for (const body of [encodeForm(params, 's'), Buffer.from(encodeForm(params, 's'))]) {
    const { params: fields, secretIndex } = verifyFormDetailed(body, ['t', 's']);
    assert.equal(secretIndex, 1);
    assert.deepEqual(fields, Object.fromEntries(params));
    assert.ok(Object.hasOwn(fields, '__proto__'));
    assert.equal(Object.getPrototypeOf(fields), Object.prototype);
  }
});

test('verifyForm reuses the key strings of the last call only for the very same keys', () => {
  const cases = [
    [['ab', '1'], ['c', '2']],
    [['a', '1'], ['bc', '2']], // the same key text, split differently
    [['ab', '3'], ['c', '4']],
    [['c', '5'], ['ab', '6']], // the same keys in the other order: sorted alike
    [['__proto__', 'p'], ['q', 'x']],
    [['__proto__', 'p2'], ['q', 'y']],
    [['k'.repeat(300), 'long key'], ['z', '1']], // a long key comes back as an offset
    [['k'.repeat(300), 'again'], ['z', '2']],
  ];
  // Keys that look like the start of JSON, few and many, raw and escaped.
  const jsonish = [['{"a"', '1'], ['[b', '{'], ['"', '}'], ['{', 'é']];
  cases.push(jsonish, [...jsonish, ...Array.from({ length: 20 }, (_, i) => [`{${i}`, `[${i}]`])]);
  cases.push([['{raw', '1'], ['é{', '2']]);
  for (const params of cases) {
    for (const body of [encodeForm(params, 's'), Buffer.from(encodeForm(params, 's'))]) {
      const fields = verifyForm(body, 's');
      assert.deepEqual(fields, Object.fromEntries(params));
      assert.equal(Object.getPrototypeOf(fields), Object.prototype);
    }
  }
});

test('maxParams: the limit counts every &-separated segment', () => {
  const body = encodeForm({ a: '1', b: '2' }, 's'); // 3 segments
  assert.deepEqual(verifyForm(body, 's', { maxParams: 3 }), { a: '1', b: '2' });
  throwsKind(() => verifyForm(body, 's', { maxParams: 2 }), MalformedBody, 'too-many-params');
  throwsKind(() => verifyForm(body + '&'.repeat(1000), 's'), MalformedBody, 'too-many-params');
});

test('body errors carry the 0-based segment index and the core message', () => {
  assert.throws(
    () => verifyForm('a=1&a=2&hash=x', 's'),
    (e) => e instanceof MalformedBody && e.kind === 'duplicate-key' && e.index === 1 &&
      /duplicate key/.test(e.message) && /parameter 2/.test(e.message),
  );
  throwsKind(() => verifyForm('a=1', 's'), InvalidSignature, 'missing-hash');
  throwsKind(() => verifyForm('a=1&hash=ABC', 's'), InvalidSignature, 'malformed-hash');
});

test('explain returns a plain object', () => {
  const body = encodeForm(depositObject, deposit.secret);
  const ok = explain(body, deposit.secret);
  assert.equal(Object.getPrototypeOf(ok), Object.prototype);
  assert.equal(ok.valid, true);
  assert.equal(ok.secretIndex, 0);
  assert.equal(ok.canonical, deposit.canonical);
  assert.deepEqual(ok.expected, [deposit.hash]);
  assert.equal(ok.received, deposit.hash);
  assert.equal(ok.fields.at(-1).dropped, 'hash-field');
  const bad = explain(body.replace('DEPOSIT', 'DEPOSIX'), [deposit.secret]);
  assert.equal(bad.valid, false);
  assert.equal(bad.error.kind, 'mismatch');
  assert.equal(bad.error.category, 'signature');
  assert.match(bad.text, /INVALID \[mismatch\]/);
  assert.ok(Array.isArray(bad.diagnosis.findings));
  assert.equal(bad.diagnosis.cause, null);
  const refused = explain('a=1&a=2', 's');
  assert.equal(refused.error.kind, 'duplicate-key');
  assert.equal(refused.error.index, 1);
  assert.equal(refused.canonical, null);
});

test('explain names the known-wrong implementation that reproduces the received hash', () => {
  // A sender that sorts keys by code point: `B` (U+0042) before `a`, where
  // localeCompare puts `a` first. Its hash, computed here with node:crypto.
  const secret = 'explain_secret';
  const wrong = md5(`B=2&a=1${secret}`);
  assert.notEqual(wrong, md5(`a=1&B=2${secret}`));
  const report = explain(`a=1&B=2&hash=${wrong}`, ['other', secret]);
  assert.equal(report.valid, false);
  assert.equal(report.error.kind, 'mismatch');
  assert.equal(report.canonical, 'a=1&B=2');
  assert.equal(report.received, wrong);
  assert.equal(report.diagnosis.cause, 'code-point-order');
  const [first] = report.diagnosis.findings;
  assert.deepEqual(
    [first.variant, first.reproduces, first.secretIndex],
    ['code-point-order', true, 1],
  );
  assert.match(first.description, /code point/);
  assert.match(report.text, /code-point-order/);
});

test('a trap re-instantiates the module: SignatureError internal, and the next call works', () => {
  assert.throws(trap, (e) => {
    assert.ok(e instanceof SignatureError);
    assert.equal(e.constructor, SignatureError);
    assert.equal(e.kind, 'internal');
    assert.equal(e.category, 'internal');
    assert.ok(e.cause instanceof WebAssembly.RuntimeError);
    return true;
  });
  assert.equal(sign(deposit.params, deposit.secret), deposit.hash);
  assert.deepEqual(verifyForm(encodeForm(depositObject, 's'), 's'), depositObject);
  // Twice in a row, too.
  assert.throws(trap, SignatureError);
  assert.throws(trap, SignatureError);
  assert.equal(canonical(depositObject), deposit.canonical);
});

/** The test-only view of the key layouts sign keeps: key arrays by slot. */
const keptLayouts = hooksig[Symbol.for('hooksig.layouts')];

test('sign keeps the layout of recent keys: every payload still signs like the reference', () => {
  const shapes = [
    ['event', 'depositId', 'fiatAmount', 'memo'],
    ['event', 'withdrawId', 'fiatAmount'],
    ['fiatAmount', 'event', 'depositId', 'memo'], // the first keys in another order
    ['event', 'depositId', 'fiatAmount', 'memo', 'hash'],
    ['a', 'A', '_x', 'a-b', 'clé', 'cle\u0301'],
  ];
  const values = [(i) => `v${i}`, (i) => i * 1.5, (i) => (i % 2 ? null : ''), (i) => i % 3 === 0, (i) => 'é😀 &='];
  // Five shapes through four slots, each many times, with changing values.
  for (let round = 0; round < 4; round++) {
    for (const [s, keys] of shapes.entries()) {
      const params = Object.fromEntries(keys.map((k, i) => [k, values[(i + round + s) % values.length](i + round)]));
      assert.equal(sign(params, `s${round}`), referenceHash(params, `s${round}`), `shape ${s}, round ${round}`);
      // The same keys as pairs and as a Map find the same layout.
      assert.equal(sign(Object.entries(params), 't'), referenceHash(params, 't'));
      assert.equal(sign(new Map(Object.entries(params)), 't'), referenceHash(params, 't'));
    }
  }
  const kept = keptLayouts().filter(Boolean);
  assert.equal(kept.length, 4);
  for (const keys of kept) assert.ok(shapes.some((s) => JSON.stringify(s) === JSON.stringify(keys)));
});

test('a kept layout: errors in values keep their index, bad keys are never kept', () => {
  const keys = ['event', 'amount', 'memo'];
  const good = { event: 'DEPOSIT', amount: 10.5, memo: 'x' };
  assert.equal(sign(good, 's'), referenceHash(good, 's'));
  assert.equal(sign(good, 's'), referenceHash(good, 's'));
  assert.ok(keptLayouts().some((k) => JSON.stringify(k) === JSON.stringify(keys)));
  // Same keys, bad values: the errors of an uncached call, and the layout stays.
  throwsKind(() => sign({ event: 'DEPOSIT', amount: [1], memo: 'x' }, 's'), InvalidValue, 'invalid-value', 1);
  throwsKind(() => sign({ event: 'DEPOSIT', amount: 1, memo: 'x\uD800' }, 's'), MalformedBody, 'invalid-encoding', 2);
  throwsKind(() => sign(good, ''), InvalidValue, 'empty-secret');
  assert.equal(sign({ event: 'D', amount: 'null', memo: undefined }, 's'), referenceHash({ event: 'D' }, 's'));
  // What the one-loop packing of kept keys leaves to the full one: long
  // strings, more text than the scratch holds, halves of a pair, a secret
  // that is long, missing or not a string. The same answers either way.
  const wide = { event: 'é'.repeat(1000), amount: 'x'.repeat(1023), memo: 'ü'.repeat(1500) };
  assert.equal(sign(wide, 's'), referenceHash(wide, 's'));
  assert.equal(sign(good, 'k'.repeat(5000)), referenceHash(good, 'k'.repeat(5000)));
  throwsKind(() => sign({ event: 'a\uD83D', amount: '\uDE00b', memo: 'x' }, 's'), MalformedBody, 'invalid-encoding', 0);
  throwsKind(() => sign({ event: 'a', amount: 'x\uDC00y', memo: 'x' }, 's'), MalformedBody, 'invalid-encoding', 1);
  throwsKind(() => sign(good, 's\uD83D'), MalformedBody, 'invalid-encoding');
  throwsKind(() => sign(good, undefined), InvalidValue, 'empty-secret');
  throwsKind(() => sign(good, 42), InvalidValue, 'invalid-value');
  const typed = { event: true, amount: -0, memo: null };
  assert.equal(sign(typed, 's'), referenceHash(typed, 's'));
  assert.equal(sign(good, 's'), referenceHash(good, 's'));
  // Keys that cannot be signed are refused every time, and never kept.
  for (let i = 0; i < 2; i++) {
    throwsKind(() => sign([['a', '1'], ['b', '2'], ['a', '3']], 's'), MalformedBody, 'duplicate-key', 2);
    throwsKind(() => sign({ '': '1', b: '2' }, 's'), MalformedBody, 'empty-key', 0);
    throwsKind(() => sign({ 'k\uDC00': '1' }, 's'), MalformedBody, 'invalid-encoding', 0);
  }
  for (const k of keptLayouts().filter(Boolean)) {
    assert.ok(!k.includes('') && !k.includes('k\uDC00') && !(k.length === 3 && k[2] === 'a'));
  }
});

test('kept layouts are forgotten with the instance; too many keys are not kept', () => {
  const params = { event: 'DEPOSIT', depositId: 'd1' };
  assert.equal(sign(params, 's'), referenceHash(params, 's'));
  assert.ok(keptLayouts().some(Boolean));
  assert.throws(trap, SignatureError);
  assert.deepEqual(keptLayouts(), [null, null, null, null]);
  assert.equal(sign(params, 's'), referenceHash(params, 's'));
  assert.equal(sign(params, 's'), referenceHash(params, 's'));
  // A call big enough to be followed by a fresh instance (to give the memory
  // back) must not leave a slot that instance does not have.
  const big = { event: 'DEPOSIT', memo: 'x'.repeat((1 << 20) + 1) };
  for (let i = 0; i < 3; i++) assert.equal(sign(big, 's'), referenceHash(big, 's'));
  const many = Object.fromEntries(Array.from({ length: 129 }, (_, i) => [`k${i}`, `v${i}`]));
  const long = { ['k'.repeat(20000)]: '1', b: '2' };
  for (let i = 0; i < 2; i++) {
    assert.equal(sign(many, 's'), referenceHash(many, 's'));
    assert.equal(sign(long, 's'), referenceHash(long, 's'));
  }
  assert.ok(keptLayouts().every((k) => k === null || (k.length <= 128 && k[0].length < 20000)));
});

test('large inputs: a 64 KiB value and 2000 fields', () => {
  const big = 'é'.repeat(32 * 1024) + ' +&=' + 'x'.repeat(32 * 1024);
  const params = { event: 'DEPOSIT', memo: big };
  assert.equal(sign(params, 's'), referenceHash(params, 's'));
  assert.deepEqual(verifyForm(encodeForm(params, 's'), 's'), params);
  const many = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, `v${i}`]));
  assert.equal(sign(many, 's'), referenceHash(many, 's'));
  assert.deepEqual(verifyForm(encodeForm(many, 's'), 's', { maxParams: 2001 }), many);
});

test('a trap while a scratch buffer grows is internal too, and the next call works', () => {
  // The module's own buffer exports, made to trap (a real `unreachable`) when
  // asked to grow past 64 KiB, once each, as out of memory would.
  const armed = { text: true, meta: true };
  const { api } = isolatedBuild((wasm) => ({
    ...wasm,
    text_buffer: (n) => (armed.text && n > 1 << 16 ? ((armed.text = false), wasm.__trap()) : wasm.text_buffer(n)),
    meta_buffer: (n) => (armed.meta && n > 1 << 13 ? ((armed.meta = false), wasm.__trap()) : wasm.meta_buffer(n)),
  }));
  const big = { v: 'x'.repeat(100_000) };
  const many = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`k${i}`, 'v']));
  for (const fn of [() => api.sign(big, 's'), () => api.canonical(many)]) {
    assert.throws(fn, (e) => {
      assert.ok(e instanceof api.SignatureError, `${e} is not a SignatureError`);
      assert.equal(e.kind, 'internal');
      assert.ok(e.cause instanceof WebAssembly.RuntimeError);
      return true;
    });
    assert.equal(api.sign(deposit.params, deposit.secret), deposit.hash);
  }
  assert.equal(api.sign(big, 's'), referenceHash(big, 's'));
  assert.equal(api.canonical(many), referenceCanonical(many));
});

test('a big call gives its memory back: a fresh instance, not 100+ MB kept for good', () => {
  const { api, wasm } = isolatedBuild();
  const initial = wasm.wasm_memory().buffer.byteLength;
  // Small calls keep the instance (no re-instantiation on the hot path).
  const memory = wasm.wasm_memory();
  for (let i = 0; i < 3; i++) api.verifyForm(api.encodeForm(depositObject, 's'), 's');
  assert.equal(wasm.wasm_memory(), memory);
  // A 5 MiB body grows the memory to tens of MB while it is verified...
  const value = 'ab cd'.repeat(1 << 20);
  const body = api.encodeForm({ data: value }, 's');
  assert.deepEqual(api.verifyForm(body, 's'), { data: value });
  // ...and afterwards the module runs in a fresh instance of the initial size.
  assert.ok(wasm.wasm_memory().buffer.byteLength <= initial + (1 << 20), `${wasm.wasm_memory().buffer.byteLength} bytes kept`);
  assert.equal(api.sign(deposit.params, deposit.secret), deposit.hash);
  // Also when the big call fails, and for many params.
  assert.throws(() => api.verifyForm(body + '&data=1', 's'), api.MalformedBody);
  assert.ok(wasm.wasm_memory().buffer.byteLength <= initial + (1 << 20));
  const many = Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i]);
  assert.equal(api.sign(many, 's'), sign(many, 's'));
  assert.ok(wasm.wasm_memory().buffer.byteLength <= initial + (1 << 20));
});
