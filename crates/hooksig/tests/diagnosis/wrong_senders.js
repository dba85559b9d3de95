// Known-wrong webhook senders, each a small real implementation of one bug.
// Prints {variant-name: body} as JSON; tests/diagnosis.rs checks that
// `hooksig::explain` names each bug first. Usage: node wrong_senders.js SECRET
'use strict';
const { createHash } = require('crypto');
const secret = process.argv[2];

const params = {
  event: 'DEPOSIT', depositId: 'dep_1', Zeta: 'x', aa: 'v1', ab: 'v2', ch: 'v3', cz: 'v4', y: 'v5',
  j: 'v6', I: 'v7', i_: 'v8', a_b: 'v9', a1: 'v10', i: 'v11', aA: 'v12', aAaz: 'v13', externalUserId: 'u 1+2', note: 'Zoë', memo: '', amount: 10, rate: 1e-7,
  pct: '50%41',
};

const md5 = (s, enc = 'utf8') => createHash('md5').update(s, enc).digest('hex');
const keep = ([k, v]) => k !== 'hash' && v != null && v !== 'null' && v !== 'undefined' && `${v}` !== '';
const byLocale = (loc) => ([a], [b]) => a.localeCompare(b, loc);
const join = (entries) => entries.map(([k, v]) => `${k}=${v}`).join('&');
const canonical = (p, { filter = keep, sort = byLocale('en-US'), fmt = String } = {}) =>
  join(Object.entries(p).filter(filter).sort(sort).map(([k, v]) => [k, fmt(v)]));
// The wire: every field (empty ones too), URLSearchParams-encoded.
const body = (p, hash) => new URLSearchParams({ ...p, hash }).toString();
const pyFloat = (v) => typeof v !== 'number' ? v
  : Number.isInteger(v) ? v.toFixed(1) : String(v).replace(/e([+-])(\d)$/, 'e$10$2');

const good = canonical(params);
const out = {
  'code-point-order': body(params, md5(canonical(params, { sort: ([a], [b]) => (a < b ? -1 : a > b ? 1 : 0) }) + secret)),
  'case-folded-order': body(params, md5(canonical(params, {
    sort: ([a], [b]) => { a = a.toLowerCase(); b = b.toLowerCase(); return a < b ? -1 : a > b ? 1 : 0; } }) + secret)),
  'locale-da': body(params, md5(canonical(params, { sort: byLocale('da') }) + secret)),
  'locale-lt': body(params, md5(canonical(params, { sort: byLocale('lt') }) + secret)),
  'locale-cs-sk': body(params, md5(canonical(params, { sort: byLocale('cs') }) + secret)),
  'locale-tr': body(params, md5(canonical(params, { sort: byLocale('tr') }) + secret)),
  'dropped-values-kept': body(params, md5(canonical(params, { filter: ([k]) => k !== 'hash' }) + secret)),
  // Signs a params object that still holds the hash from a first signing.
  'hash-included': (() => {
    const p = { ...params, hash: md5(good + secret) };
    return body(params, md5(canonical(p, { filter: ([k, v]) => keep(['x', v]) }) + secret));
  })(),
  'secret-newline-added': body(params, md5(good + secret + '\n')),
  'secret-crlf-added': body(params, md5(good + secret + '\r\n')),
  'secret-space-added': body(params, md5(good + secret + ' ')),
  'secret-prepended': body(params, md5(secret + good)),
  'secret-joined-with-key': body(params, md5(good + '&key=' + secret)),
  // Signs text that still holds escapes, which the receiver decodes once more.
  'decoded-twice': body(params, md5(canonical({ ...params, pct: decodeURIComponent(params.pct.replace('%41', '%2541')) }) + secret))
    .replace('pct=50%2541', 'pct=50%252541'),
  // Signs the encoded text instead of the values.
  'not-decoded': (() => {
    const enc = Object.fromEntries(Object.entries(params).map(([k, v]) =>
      [new URLSearchParams({ [k]: '' }).toString().slice(0, -1), new URLSearchParams({ v }).toString().slice(2)]));
    return body(params, md5(canonical(enc) + secret));
  })(),
  // A hand-made encoder that leaves '+' raw, while the signer saw a literal plus.
  'plus-literal': (() => {
    const p = { ...params, externalUserId: 'u+1' };
    const enc = new URLSearchParams({ ...p, hash: md5(canonical(p) + secret) }).toString();
    return enc.replace('externalUserId=u%2B1', 'externalUserId=u+1');
  })(),
  'uppercase-hex': body(params, md5(good + secret).toUpperCase()),
  'latin1': body(params, md5(good + secret, 'latin1')),
  'utf8-read-as-latin1': body(params, md5(Buffer.from(good, 'utf8').toString('latin1') + secret)),
  'numbers-reformatted': body(params, md5(canonical(params, { fmt: pyFloat }) + secret)),
};
process.stdout.write(JSON.stringify(out));
