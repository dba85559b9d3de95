#!/usr/bin/env node
// A reference sender: signs like the Quick Start receiver checks (the same
// filter, `localeCompare` sort and MD5) and encodes the body with
// `URLSearchParams`, as a Node operator's API server would. hooksig's tests
// use it as an independent oracle (it shares no code with hooksig).
//
// Usage: OPERATOR_SECRET_KEY=... node sender.mjs --params FILE [--print | --url URL]
//   FILE: a JSON array of [key, value] pairs (or `-` for stdin); a JSON object
//   also works. Values may be strings, numbers, booleans or null.
//   --print    print the body (no trailing newline) and exit
//   --url URL  POST it as application/x-www-form-urlencoded; prints
//              `<status> <response body>`; exit 0 on 2xx, 1 otherwise.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';

/** The payload object, keys in insertion order (a `__proto__` key stays a key). */
export function toObject(params) {
  return Object.fromEntries(Array.isArray(params) ? params : Object.entries(params));
}

/** The Quick Start's canonical string of a payload object. */
export function referenceCanonical(params) {
  return Object.entries(params)
    .filter(([k, v]) => k !== 'hash' && v != null && v !== 'null' && v !== 'undefined' && `${v}` !== '')
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

/** MD5 of canonical + secret, lowercase hex. */
export function referenceHash(params, secret) {
  return createHash('md5').update(referenceCanonical(params) + secret, 'utf8').digest('hex');
}

/**
 * The body a Node sender POSTs: every field of the payload in insertion order
 * (unsigned empty ones included, `String(value)` for the rest, as
 * URLSearchParams does), then `hash`.
 */
export function referenceBody(params, secret) {
  const payload = toObject(params);
  const signed = { ...payload, hash: referenceHash(payload, secret) };
  return new URLSearchParams(Object.entries(signed).map(([k, v]) => [k, String(v)])).toString();
}

function parseArgs(argv) {
  const opts = { params: undefined, url: undefined, print: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--print') opts.print = true;
    else if ((a === '--params' || a === '--url') && i + 1 < argv.length) opts[a.slice(2)] = argv[++i];
    else {
      console.error(`usage: sender.mjs --params FILE [--print | --url URL]   (unexpected: ${a})`);
      process.exit(2);
    }
  }
  if (!opts.params || opts.print === Boolean(opts.url)) {
    console.error('usage: sender.mjs --params FILE [--print | --url URL]');
    process.exit(2);
  }
  return opts;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const secret = process.env.OPERATOR_SECRET_KEY;
  if (!secret) {
    console.error('sender.mjs: set OPERATOR_SECRET_KEY');
    process.exit(2);
  }
  const text = fs.readFileSync(opts.params === '-' ? 0 : opts.params, 'utf8');
  const body = referenceBody(JSON.parse(text), secret);
  if (opts.print) {
    process.stdout.write(body);
    return;
  }
  const res = await fetch(opts.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  console.log(`${res.status} ${await res.text()}`);
  process.exitCode = res.ok ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
