#!/usr/bin/env node
// The protocol's Quick Start receiver (shared/protocol/webhooks-overview.txt),
// transliterated from TypeScript to plain JS and otherwise unchanged:
// `express.urlencoded({ extended: true })`, the same filter, `localeCompare`
// sort, MD5 and `===`. hooksig's interop tests use it as the oracle.
//
// Usage: OPERATOR_SECRET_KEY=... node receiver.mjs [--host 127.0.0.1] [--port 3001] [--path /api/webhook]
//   --port 0 picks a free port. When listening, prints one line:
//     listening on http://HOST:PORT/PATH
//   then one JSON line per request: {"status":200,"event":"DEPOSIT","body":{...}}
//   (the status it answered and req.body as the Quick Start saw it).
import express from 'express';
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';

/** The Quick Start's `verifySignature`, verbatim (types removed). */
export function verifySignature(params, secretKey) {
  const hash = params.hash;
  if (!hash) return false;

  const canonical = Object.entries(params)
    .filter(([k, v]) => k !== 'hash' && v != null && v !== 'null' && v !== 'undefined' && `${v}` !== '')
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');

  const expected = createHash('md5').update(canonical + secretKey, 'utf8').digest('hex');
  return expected === hash;
}

/**
 * The Quick Start app. `onRequest(status, body)` observes each answer (the
 * Quick Start's console.log lines are replaced by it).
 */
export function createApp(secretKey, { path = '/api/webhook', onRequest = () => {} } = {}) {
  const app = express();
  app.use(express.urlencoded({ extended: true }));

  app.post(path, (req, res) => {
    // 1. Verify signature
    if (!verifySignature(req.body, secretKey)) {
      onRequest(401, req.body);
      return res.status(401).json({ error: 1, description: 'invalid signature' });
    }

    const { event } = req.body;
    onRequest(200, req.body);

    switch (event) {
      case 'DEPOSIT':
        // Process deposit notification (req.body.idempotencyKey deduplicates)
        return res.json({ error: 0, description: 'ok' });

      case 'WITHDRAW_REQUEST':
        // Validate and approve/deny the withdrawal: error 0 approves
        return res.json({ error: 0, description: 'ok' });

      case 'WITHDRAW_COMPLETE':
        // Record the completed withdrawal
        return res.json({ error: 0, description: 'ok' });

      default:
        return res.json({ error: 0, description: 'ok' });
    }
  });
  return app;
}

function parseArgs(argv) {
  const opts = { host: '127.0.0.1', port: 3001, path: '/api/webhook' };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, '');
    if (!(name in opts) || i + 1 >= argv.length) {
      console.error(`usage: receiver.mjs [--host H] [--port N] [--path /p]   (unknown or incomplete: ${argv[i]})`);
      process.exit(2);
    }
    opts[name] = name === 'port' ? Number(argv[++i]) : argv[++i];
  }
  return opts;
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const SECRET_KEY = process.env.OPERATOR_SECRET_KEY;
  if (!SECRET_KEY) {
    console.error('receiver.mjs: set OPERATOR_SECRET_KEY');
    process.exit(2);
  }
  const app = createApp(SECRET_KEY, {
    path: opts.path,
    onRequest: (status, body) => {
      const event = body && typeof body === 'object' ? body.event : undefined;
      console.log(JSON.stringify({ status, event, body }));
    },
  });
  const server = app.listen(opts.port, opts.host, () => {
    const { port } = server.address();
    console.log(`listening on http://${opts.host}:${port}${opts.path}`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
