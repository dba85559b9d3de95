// The README's Express middleware recipe, run as written: extracted from
// README.md, started with express 5 on 127.0.0.1, and sent real requests.
// Also checks that the README's .wasm sizes still describe the build.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { encodeForm } from 'hooksig';
import { pkgDir } from './helpers.mjs';

const readme = fs.readFileSync(path.join(pkgDir, 'README.md'), 'utf8');
const SECRET = 'readme_secret_8e21';

/** The first ```js block after a heading. */
function codeAfter(heading) {
  const section = readme.slice(readme.indexOf(heading));
  const m = /```js\n([\s\S]*?)```/.exec(section);
  assert.ok(m, `no js block after ${heading}`);
  return m[1];
}

// Inside the package folder, so `hooksig` resolves to this package (self
// reference through "exports") and `express` to its dev dependency.
const script = path.join(pkgDir, 'test', `.tmp-readme-recipe-${process.pid}.mjs`);
let server;
let url;

before(async () => {
  fs.writeFileSync(script, codeAfter('## Express middleware recipe'));
  server = spawn(process.execPath, [script], {
    env: { ...process.env, OPERATOR_SECRET_KEY: SECRET, PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = readline.createInterface({ input: server.stdout });
  const port = await new Promise((resolve, reject) => {
    server.once('exit', (code) => reject(new Error(`recipe exited with ${code}`)));
    lines.on('line', (line) => {
      const m = /^listening on (\d+)$/.exec(line);
      if (m) resolve(m[1]);
    });
  });
  url = `http://127.0.0.1:${port}/api/webhook`;
});

after(() => {
  server?.kill();
  fs.rmSync(script, { force: true });
});

async function post(body, type = 'application/x-www-form-urlencoded') {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': type }, body });
  return [res.status, await res.json()];
}

test('the recipe accepts a signed body and refuses bad ones', async () => {
  const params = { event: 'DEPOSIT', depositId: 'dep_1', memo: 'a+b=c&d é', fiatAmount: 10.5 };
  const body = encodeForm(params, SECRET);
  assert.deepEqual(await post(body), [200, { error: 0, description: 'ok' }]);
  assert.deepEqual(await post(encodeForm(params, 'wrong')), [401, { error: 1, description: 'mismatch' }]);
  assert.deepEqual(await post(body.replace('dep_1', 'dep_2')), [401, { error: 1, description: 'mismatch' }]);
  assert.deepEqual(await post('event=DEPOSIT'), [401, { error: 1, description: 'missing-hash' }]);
  assert.deepEqual(await post(`a=1&a=2&${body}`), [400, { error: 1, description: 'duplicate-key' }]);
  assert.deepEqual(await post(JSON.stringify(params), 'application/json'), [
    415,
    { error: 2, description: 'expected a form body' },
  ]);
});

test('the recipe refuses to start without OPERATOR_SECRET_KEY, instead of answering 401 to everything', async () => {
  for (const secret of [undefined, '']) {
    const env = { ...process.env, PORT: '0' };
    delete env.OPERATOR_SECRET_KEY;
    if (secret !== undefined) env.OPERATOR_SECRET_KEY = secret;
    const child = spawn(process.execPath, [script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    assert.notEqual(code, 0);
    assert.match(stderr, /OPERATOR_SECRET_KEY is not set/);
    assert.doesNotMatch(stdout, /listening on/);
  }
});

test('the README sizes describe the current build (within 10%)', () => {
  const sizes = JSON.parse(fs.readFileSync(path.join(pkgDir, 'pkg', 'sizes.json'), 'utf8'));
  const row = (flavour) => {
    const m = new RegExp(`\\| ${flavour} \\(\`[^|]*\\| ([\\d,]+) bytes \\| ([\\d,]+) bytes`).exec(readme);
    assert.ok(m, `no size row for ${flavour}`);
    return { raw: Number(m[1].replaceAll(',', '')), gzip: Number(m[2].replaceAll(',', '')) };
  };
  for (const flavour of ['full', 'light']) {
    const documented = row(flavour);
    for (const k of ['raw', 'gzip']) {
      const ratio = documented[k] / sizes[flavour][k];
      assert.ok(ratio > 0.9 && ratio < 1.1, `${flavour} ${k}: README ${documented[k]}, build ${sizes[flavour][k]}`);
    }
  }
});
