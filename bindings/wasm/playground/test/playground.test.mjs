// The playground page in a real browser: Debian's Chromium driven by
// playwright-core opens the generated dist/index.html through file:// (and
// once from a static server on 127.0.0.1), types bodies and secrets, and
// asserts what the page shows. Expected hashes come from node:crypto over the
// canonical string (an oracle independent of the wasm), and the bodies of
// "wrong senders" are built the way such a sender builds them.
//
// Also asserted: no request leaves the page (only the file:// page itself and
// data: URLs), nothing is logged to the console, and the secret never appears
// in the page. Screenshots go to <repo>/artifacts/ (gitignored).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { buildPage } from '../build.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const playgroundDir = path.resolve(here, '..');
const root = path.resolve(playgroundDir, '../../..');
const artifacts = path.join(root, 'artifacts');
const CHROMIUM = '/usr/bin/chromium';

const DEMO_SECRET = 'demo_secret_2f7c';
const DEPOSIT = fs.readFileSync(path.join(root, 'examples', 'deposit.form'), 'utf8');
// examples/deposit.form is already canonical: its signed part is the body up to `&hash=`.
const DEPOSIT_CANONICAL =
  'cryptoAmount=0.00391&cryptoCurrency=BTC&depositId=dep_20261203_0042&event=DEPOSIT' +
  '&externalUserId=user-1187&fiatAmount=250.00&fiatCurrency=USD' +
  '&idempotencyKey=3b2f6a1c-8d4e-4f7a-9c2b-5e1d0a7f6c38';
const DEPOSIT_HASH = '6a636e9b2f130055fb0a610c775ec8a0';

const md5 = (text) => crypto.createHash('md5').update(text, 'utf8').digest('hex');

// scripts/suite-wasm.sh installs Chromium and sets HOOKSIG_REQUIRE_BROWSER, so
// there a missing browser fails; a bare run elsewhere skips.
const skip =
  !fs.existsSync(CHROMIUM) && !process.env.HOOKSIG_REQUIRE_BROWSER
    ? `${CHROMIUM} not installed (apt-get install -y chromium)`
    : false;

let pageFile;
let pageUrl;
let context;
let page;
let servedUrl;
/** Every request the page made, and every console message or page error. */
const requests = [];
const problems = [];

before(async () => {
  if (skip) return;
  // Always test a page generated from the current package build.
  pageFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hooksig-playground-')), 'index.html');
  execFileSync(process.execPath, [path.join(playgroundDir, 'build.mjs'), '--out', pageFile], {
    stdio: 'inherit',
  });
  pageUrl = pathToFileURL(pageFile).href;
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksig-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1100, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  context.on('request', (req) => requests.push(req.url()));
  page = await context.newPage();
  page.on('console', (msg) => problems.push(`console.${msg.type()}: ${msg.text()}`));
  page.on('pageerror', (e) => problems.push(`pageerror: ${e}`));
  await page.goto(pageUrl);
  await page.waitForFunction(() => document.documentElement.dataset.state !== undefined, null, {
    timeout: 60_000,
  });
});

after(async () => {
  await context?.close();
});

/** Types a secret and a body as a user would, and returns what the page shows. */
async function check(body, secret) {
  await page.fill('#secret', secret);
  await page.fill('#body', body);
  // The page analyses on the next animation frame after an input event.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  return shown();
}

async function shown() {
  return page.evaluate(() => {
    const text = (sel) => document.querySelector(sel).textContent;
    const v = document.getElementById('verdict');
    return {
      verdict: v.dataset.verdict,
      kind: v.dataset.kind,
      verdictText: v.textContent,
      fields: [...document.querySelectorAll('#fields tbody tr')].map((tr) =>
        [...tr.cells].map((td) => td.textContent),
      ),
      canonical: document.querySelector('#canonical [data-role=canonical]')?.textContent ?? null,
      dropped: [...document.querySelectorAll('#canonical [data-dropped]')].map((e) => [
        e.dataset.dropped,
        e.textContent,
      ]),
      expected: text('#expected'),
      received: text('#received'),
      cause: document.querySelector('#diagnosis [data-cause]')?.dataset.cause ?? null,
      findings: [...document.querySelectorAll('#diagnosis [data-variant]')].map((e) => e.dataset.variant),
      diagnosisText: text('#diagnosis'),
      pageText: document.body.innerText,
      html: document.documentElement.outerHTML,
    };
  });
}

async function screenshot(name) {
  fs.mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: path.join(artifacts, name), fullPage: true });
}

test('the generated page is one deterministic, self-contained file that forbids the network', () => {
  const { html } = buildPage();
  assert.equal(buildPage().html, html, 'two builds differ');
  // One inline module script, the inline style, and no reference to another file.
  assert.equal(html.match(/<script\b/g).length, 1);
  assert.match(html, /<script type="module">\n\/\/ hooksig playground: generated/);
  assert.deepEqual(
    [...html.matchAll(/\b(?:src|href)=["']([^"']*)["']/g)].map((m) => m[1]),
    ['data:,'],
  );
  assert.match(html, /default-src 'none'; script-src 'unsafe-inline' 'wasm-unsafe-eval';[^"]* connect-src 'none'/);
  // The module is inlined, byte for byte the package's web build.
  const wasm = fs.readFileSync(path.join(playgroundDir, '..', 'pkg', 'web', 'hooksig_wasm_bg.wasm'));
  assert.ok(html.includes(`const WASM_BASE64 = '${wasm.toString('base64')}';`));
});

test('the page loads the inlined core from file:// and says it runs locally', { skip }, async () => {
  assert.equal(await page.evaluate(() => document.documentElement.dataset.state), 'ready');
  assert.match(page.url(), /^file:\/\//);
  const s = await shown();
  assert.equal(s.verdict, 'pending');
  assert.match(s.pageText, /Everything runs locally\./);
  assert.match(s.pageText, /no network request is made after loading/);
});

test('a valid body: valid, the canonical string, the hash field dropped, matching hashes', { skip }, async () => {
  assert.equal(md5(DEPOSIT_CANONICAL + DEMO_SECRET), DEPOSIT_HASH);
  const s = await check(DEPOSIT, DEMO_SECRET);
  assert.equal(s.verdict, 'valid', s.verdictText);
  assert.equal(s.kind, '');
  assert.match(s.verdictText, /^Valid signature/);
  assert.equal(s.canonical, DEPOSIT_CANONICAL);
  assert.deepEqual(s.dropped, [
    ['hash-field', `hash=${DEPOSIT_HASH}  not signed (hash-field): the signature field itself`],
  ]);
  assert.equal(s.fields.length, 9);
  assert.deepEqual(s.fields[0], ['1', 'cryptoAmount', '0.00391', 'signed']);
  assert.deepEqual(s.fields[8], ['9', 'hash', DEPOSIT_HASH, 'dropped: hash-field']);
  assert.equal(s.expected, DEPOSIT_HASH);
  assert.equal(s.received, DEPOSIT_HASH);
  assert.equal(s.cause, null);
  assert.deepEqual(s.findings, []);
  assert.match(s.diagnosisText, /Nothing to diagnose/);
  await screenshot('playground-valid.png');
});

test('each example button loads its body and the demo secret: valid', { skip }, async () => {
  for (const [label, file] of [
    ['Deposit', 'deposit.form'],
    ['Withdraw request', 'withdraw-request.form'],
    ['Withdraw complete', 'withdraw-complete.form'],
  ]) {
    await page.fill('#body', '');
    await page.click(`#examples button:text-is("${label}")`);
    const body = fs.readFileSync(path.join(root, 'examples', file), 'utf8');
    assert.equal(await page.inputValue('#body'), body);
    const s = await shown();
    assert.equal(s.verdict, 'valid', `${label}: ${s.verdictText}`);
    assert.equal(s.received, body.slice(body.lastIndexOf('&hash=') + 6));
  }
});

test('a tampered body: invalid mismatch, the expected hash of the tampered fields, the received one', { skip }, async () => {
  const tampered = DEPOSIT.replace('fiatAmount=250.00', 'fiatAmount=2500.00');
  assert.notEqual(tampered, DEPOSIT);
  const s = await check(tampered, DEMO_SECRET);
  assert.equal(s.verdict, 'invalid');
  assert.equal(s.kind, 'mismatch');
  assert.match(s.verdictText, /^Invalid: mismatch/);
  const canonical = DEPOSIT_CANONICAL.replace('fiatAmount=250.00', 'fiatAmount=2500.00');
  assert.equal(s.canonical, canonical);
  assert.equal(s.expected, md5(canonical + DEMO_SECRET));
  assert.equal(s.received, DEPOSIT_HASH);
  // No known sender mistake reproduces a tampered value.
  assert.equal(s.cause, null);
  assert.match(s.diagnosisText, /No known mistake reproduces the received hash exactly/);
});

test('a body signed with a trailing newline on the secret: the diagnosis names secret-newline-added first', { skip }, async () => {
  // What a sender that read its secret from a file with a final newline posts.
  const body = `${DEPOSIT_CANONICAL}&hash=${md5(`${DEPOSIT_CANONICAL + DEMO_SECRET}\n`)}`;
  const s = await check(body, DEMO_SECRET);
  assert.equal(s.verdict, 'invalid');
  assert.equal(s.kind, 'mismatch');
  assert.equal(s.cause, 'secret-newline-added');
  assert.equal(s.findings[0], 'secret-newline-added');
  assert.match(s.diagnosisText, /Cause found: secret-newline-added/);
  assert.equal(s.expected, DEPOSIT_HASH);
  await screenshot('playground.png');
});

test('dropped empty and null-text fields are marked with their reason', { skip }, async () => {
  const secret = 'canary-Zq81-playground';
  const body = `c=x%20y&b=&a=1&d=null&hash=${md5(`a=1&c=x y${secret}`)}`;
  const s = await check(body, secret);
  assert.equal(s.verdict, 'valid', s.verdictText);
  // The canonical string holds decoded values.
  assert.equal(s.canonical, 'a=1&c=x y');
  assert.deepEqual(
    s.dropped.map(([reason]) => reason),
    ['empty', 'null-text', 'hash-field'],
  );
  assert.match(s.dropped[0][1], /^b=  not signed \(empty\): the value is empty$/);
  assert.match(s.dropped[1][1], /^d=null  not signed \(null-text\): the value is the text 'null'$/);
  // The secret is in the password field only.
  assert.equal(s.pageText.includes(secret), false);
  assert.equal(s.html.includes(secret), false);
  assert.equal(await page.inputValue('#secret'), secret);
});

test('a refused body shows the error kind and no hashes', { skip }, async () => {
  const s = await check('a=1&a=2&hash=00000000000000000000000000000000', DEMO_SECRET);
  assert.equal(s.verdict, 'invalid');
  assert.equal(s.kind, 'duplicate-key');
  assert.equal(s.canonical, null);
  assert.match(s.expected, /none computed/);
  assert.match(s.diagnosisText, /No diagnosis/);
});

test('the table editor rebuilds a signed body through encodeForm', { skip }, async () => {
  const secret = 'canary-Zq81-editor';
  await check(DEPOSIT, secret);
  await page.click('#editor summary');
  await page.waitForSelector('#edit-table tbody tr');
  const rows = page.locator('#edit-table tbody tr');
  assert.equal(await rows.count(), 9);
  // Change fiatAmount (row 6), add a field, sign.
  await rows.nth(5).locator('input').nth(1).fill('99.50');
  await page.click('#add-row');
  await rows.nth(9).locator('input').nth(0).fill('note');
  await rows.nth(9).locator('input').nth(1).fill('a b&c');
  await page.click('#sign-body');
  assert.equal(await page.textContent('#edit-message'), 'The body was rebuilt and signed with the secret.');
  const body = await page.inputValue('#body');
  const canonical = DEPOSIT_CANONICAL.replace('fiatAmount=250.00', 'fiatAmount=99.50') + '&note=a b&c';
  assert.equal(
    body,
    `${DEPOSIT_CANONICAL.replace('fiatAmount=250.00', 'fiatAmount=99.50')}&note=a+b%26c&hash=${md5(canonical + secret)}`,
  );
  const s = await shown();
  assert.equal(s.verdict, 'valid', s.verdictText);
  assert.equal(s.canonical, canonical);
  assert.equal(s.html.includes(secret), false);
  // The table was reloaded from the new body: its last row is the new hash.
  assert.equal(await rows.count(), 10);
  assert.equal(await rows.nth(9).locator('input').nth(1).inputValue(), md5(canonical + secret));
  // The core's errors reach the editor: a duplicate key is refused.
  await rows.nth(1).locator('input').nth(0).fill('cryptoAmount');
  await page.click('#sign-body');
  assert.match(await page.textContent('#edit-message'), /^duplicate-key: duplicate key/);
  assert.equal(await page.inputValue('#body'), body);
  await screenshot('playground-editor.png');
  await page.click('#editor summary');
});

test('the page works from a static server too', { skip }, async () => {
  const html = fs.readFileSync(pageFile);
  const server = http.createServer((req, res) => {
    if (req.url !== '/') return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/`;
  servedUrl = url;
  const served = await context.newPage();
  const seen = [];
  served.on('request', (req) => seen.push(req.url()));
  try {
    await served.goto(url);
    await served.waitForFunction(() => document.documentElement.dataset.state === 'ready', null, {
      timeout: 60_000,
    });
    await served.fill('#secret', DEMO_SECRET);
    await served.fill('#body', DEPOSIT);
    await served.waitForFunction(() => document.getElementById('verdict').dataset.verdict === 'valid');
    assert.deepEqual(
      seen.filter((u) => !u.startsWith('data:')),
      [url],
    );
  } finally {
    await served.close();
    server.close();
  }
});

test('the page cannot fetch: its Content-Security-Policy blocks the request before it is made', { skip }, async () => {
  const probe = await context.newPage();
  const seen = [];
  probe.on('request', (req) => seen.push(req.url()));
  try {
    await probe.goto(pageUrl);
    const outcome = await probe.evaluate(() =>
      fetch('http://127.0.0.1:9/probe').then(
        () => 'fetched',
        (e) => `refused: ${e.name}`,
      ),
    );
    assert.equal(outcome, 'refused: TypeError');
    assert.deepEqual(seen.filter((u) => !u.startsWith('data:')), [pageUrl]);
  } finally {
    await probe.close();
  }
});

test('no request left the page and nothing was logged', { skip }, async () => {
  // The only requests: the two page loads (file:// and the static server) and data: URLs.
  const others = requests.filter((u) => u !== pageUrl && u !== servedUrl && !u.startsWith('data:'));
  assert.deepEqual(others, []);
  assert.ok(requests.includes(pageUrl));
  assert.deepEqual(problems, []);
});
