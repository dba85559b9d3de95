// Packaging: `npm pack` gives a tarball that installs into a fresh directory
// (no registry needed: the package has no runtime dependencies) and works
// from both `require` and `import` in Node, for `hooksig` and `hooksig/light`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pkgDir, root, loadVectors } from './helpers.mjs';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksig-pack-'));
const app = path.join(tmp, 'app');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const deposit = loadVectors().params.vectors.find((v) => v.id === 'deposit-basic');
let files;

before(() => {
  // --ignore-scripts: the suite has just built pkg/; `prepack` would build it again.
  const out = execFileSync(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', tmp], {
    cwd: pkgDir,
    encoding: 'utf8',
  });
  const [info] = JSON.parse(out);
  files = info.files.map((f) => f.path);
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, 'package.json'), '{ "name": "app", "private": true }\n');
  execFileSync(
    npm,
    ['install', '--no-audit', '--no-fund', '--offline', path.join(tmp, info.filename)],
    { cwd: app, stdio: 'pipe' },
  );
});

after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function node(args, input) {
  return execFileSync(process.execPath, args, { cwd: app, encoding: 'utf8', input });
}

test('the tarball holds the builds, the types, the README and the licenses, and no sources or tests', () => {
  for (const f of [
    'package.json',
    'README.md',
    'LICENSE-MIT',
    'LICENSE-APACHE',
    'types/index.d.ts',
    'pkg/index.d.cts',
    'pkg/node/index.cjs',
    'pkg/node/index.mjs',
    'pkg/node/hooksig_wasm_bg.wasm',
    'pkg/web/index.js',
    'pkg/web/hooksig_wasm_bg.wasm',
    'pkg/light-node/index.cjs',
    'pkg/light-web/index.js',
  ]) {
    assert.ok(files.includes(f), `${f} missing from ${files}`);
  }
  assert.ok(!files.some((f) => f.startsWith('src/') || f.startsWith('test/') || f.includes('node_modules')));
  // The licenses are the repository's own texts.
  for (const f of ['LICENSE-MIT', 'LICENSE-APACHE']) {
    assert.equal(fs.readFileSync(path.join(app, 'node_modules', 'hooksig', f), 'utf8'), fs.readFileSync(path.join(root, f), 'utf8'));
  }
});

test('npm pack builds first: a prepack script runs the build', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  assert.equal(manifest.scripts.prepack, 'node scripts/build.mjs');
  assert.equal(manifest.scripts.build, manifest.scripts.prepack);
});

test("package.json's version is the crate's (bindings/wasm/Cargo.toml, or the workspace's it inherits)", () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  const crate = fs.readFileSync(path.join(pkgDir, 'Cargo.toml'), 'utf8');
  /** `version = "..."` in the [section] of a Cargo.toml. */
  const versionIn = (toml, section) => {
    const start = toml.indexOf(`\n[${section}]\n`);
    assert.ok(start >= 0, `no [${section}]`);
    const body = toml.slice(start + section.length + 4).split(/\n\[/)[0];
    return /^version\s*=\s*"([^"]+)"/m.exec(body)?.[1];
  };
  let version = versionIn(`\n${crate}`, 'package');
  if (version === undefined) {
    assert.match(crate, /^version\.workspace\s*=\s*true/m);
    version = versionIn(fs.readFileSync(path.join(root, 'Cargo.toml'), 'utf8'), 'workspace.package');
  }
  assert.match(version, /^\d+\.\d+\.\d+/);
  assert.equal(manifest.version, version);
});

test('require() works from a fresh install', () => {
  const script = `
    const h = require('hooksig');
    const l = require('hooksig/light');
    const p = ${JSON.stringify(deposit.params)};
    const body = h.encodeForm(p, ${JSON.stringify(deposit.secret)});
    console.log(JSON.stringify([h.sign(p, ${JSON.stringify(deposit.secret)}), l.sign(p, ${JSON.stringify(deposit.secret)}),
      h.verifyForm(body, ${JSON.stringify(deposit.secret)}).event, typeof h.default.sign,
      (() => { try { l.canonical({ 'é': '1' }) } catch (e) { return e.kind } })(),
      Object.keys(h).includes('__trap') || '__trap' in h]));`;
  assert.deepEqual(JSON.parse(node(['-e', script])), [
    deposit.hash,
    deposit.hash,
    'DEPOSIT',
    'function',
    'unsupported-key',
    false,
  ]);
});

test('import works from a fresh install', () => {
  const script = `
    import { sign, verifyForm, encodeForm, InvalidSignature } from 'hooksig';
    import hooksig from 'hooksig';
    import * as light from 'hooksig/light';
    const p = ${JSON.stringify(deposit.params)};
    const s = ${JSON.stringify(deposit.secret)};
    let kind;
    try { verifyForm(encodeForm(p, s), 'other') } catch (e) { kind = e instanceof InvalidSignature && e.kind }
    console.log(JSON.stringify([sign(p, s), hooksig.sign(p, s), light.sign(p, s), kind]));`;
  assert.deepEqual(JSON.parse(node(['--input-type=module', '-e', script])), [
    deposit.hash,
    deposit.hash,
    deposit.hash,
    'mismatch',
  ]);
});
