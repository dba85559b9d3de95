// The web build in a real browser: Debian's Chromium driven by playwright-core
// loads test/browser/index.html from 127.0.0.1, which runs every vector
// through the web ESM build (full and light) and reports counts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { root } from './helpers.mjs';

const CHROMIUM = '/usr/bin/chromium';
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};
// Only what the page needs is served.
const SERVED = [/^\/bindings\/wasm\/pkg\//, /^\/bindings\/wasm\/test\//, /^\/crates\/hooksig\/tests\/vectors\/[a-z]+\.json$/];

// scripts/suite-wasm.sh installs Chromium and sets HOOKSIG_REQUIRE_BROWSER, so
// there a missing browser fails; a bare `npm test` elsewhere skips.
const skip = !fs.existsSync(CHROMIUM) && !process.env.HOOKSIG_REQUIRE_BROWSER
  ? `${CHROMIUM} not installed (apt-get install -y chromium)`
  : false;

let server;
let base;
let context;

before(async () => {
  if (skip) return;
  server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const file = path.join(root, path.normalize(decodeURIComponent(url.pathname)));
    if (!SERVED.some((r) => r.test(url.pathname)) || !file.startsWith(root) || !fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksig-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
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
});

after(async () => {
  await context?.close();
  server?.close();
});

async function runPage(build) {
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') problems.push(msg.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(`${base}/bindings/wasm/test/browser/index.html?build=${build}`);
  await page.waitForFunction(() => window.__results !== undefined, null, { timeout: 60_000 });
  const results = await page.evaluate(() => window.__results);
  await page.close();
  return { results, problems };
}

test('every vector passes in Chromium through the web build', { skip }, async () => {
  const { results, problems } = await runPage('web');
  console.log('browser (web build):', JSON.stringify(results));
  assert.equal(results.error, undefined);
  assert.match(results.userAgent, /Chrome\//);
  assert.deepEqual(results.params, { passed: 230, failed: 0, failures: [] });
  assert.deepEqual(results.collation, { passed: 200, failed: 0, failures: [] });
  assert.deepEqual(results.bodies, { passed: 188, failed: 0, failures: [] });
  assert.deepEqual(results.golden, { passed: 73, failed: 0, failures: [] });
  assert.equal(results.trap, 'internal');
  assert.equal(results.afterTrap, true);
  assert.deepEqual(problems, []);
});

test('the light web build in Chromium: ASCII keys pass, the rest unsupported-key', { skip }, async () => {
  const { results, problems } = await runPage('light-web');
  console.log('browser (light-web build):', JSON.stringify(results));
  assert.equal(results.error, undefined);
  for (const group of ['params', 'collation', 'bodies', 'golden']) {
    assert.deepEqual(results[group].failures, [], group);
  }
  assert.equal(results.params.passed, 230);
  assert.equal(results.params.unsupportedKey, 158);
  assert.equal(results.collation.passed, 200);
  assert.equal(results.bodies.passed, 188);
  assert.equal(results.golden.passed, 73);
  assert.equal(results.trap, 'internal');
  assert.deepEqual(problems, []);
});
