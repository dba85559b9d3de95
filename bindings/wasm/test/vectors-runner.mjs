// Replays the shared conformance vectors (crates/hooksig/tests/vectors) through
// one build of the package. Plain ESM with no Node API, so the Node tests and
// the browser page (test/browser/) run the very same checks.
//
// `light: true` is the ASCII-keys build: a vector whose keys are all ASCII
// must pass exactly as in the full build; one with a non-ASCII key must be
// answered `unsupported-key` (unless the body is refused first, before any
// key is ordered).

const BODY_KINDS = ['duplicate-key', 'empty-key', 'invalid-encoding', 'too-many-params'];
const CLASS_OF_CATEGORY = {
  signature: 'InvalidSignature',
  body: 'MalformedBody',
  input: 'InvalidValue',
  internal: 'SignatureError',
};

const isAscii = (s) => /^[\0-\x7f]*$/.test(s);

/** Whether a raw body has a key that decodes to non-ASCII text (test oracle only). */
function bodyHasNonAsciiKey(body) {
  return body
    .replace(/^\uFEFF/, '')
    .split('&')
    .some((segment) => {
      const key = segment.split('=')[0];
      return !isAscii(key) || /%[89a-fA-F][0-9a-fA-F]/.test(key);
    });
}

/** The kind of what `fn` throws, checking the error's class; or 'accept'. */
function verdict(api, fn) {
  try {
    fn();
    return 'accept';
  } catch (e) {
    if (!(e instanceof api.SignatureError)) return `threw non-SignatureError: ${e}`;
    const want = CLASS_OF_CATEGORY[e.category];
    if (e.constructor.name !== want || !(e instanceof api[want])) {
      return `wrong class ${e.constructor.name} for ${e.kind}`;
    }
    return `reject:${e.kind}`;
  }
}

class Tally {
  constructor() {
    this.passed = 0;
    this.failed = 0;
    this.failures = [];
    /** Light build: how many of the passes were `unsupported-key` answers. */
    this.unsupported = 0;
  }
  check(ok, id, detail) {
    if (ok) this.passed++;
    else {
      this.failed++;
      if (this.failures.length < 20) this.failures.push(`${id}: ${detail}`);
    }
  }
}

/**
 * @param {any} api a build of the package (its exports)
 * @param {{ params: any, collation: any, bodies: any }} docs the parsed vector files
 * @param {{ light?: boolean }} [options]
 */
export function runVectors(api, docs, { light = false } = {}) {
  const out = {
    params: new Tally(),
    collation: new Tally(),
    bodies: new Tally(),
    golden: new Tally(),
    unsupported: 0,
  };
  const unsupported = (group) => {
    out.unsupported++;
    out[group].unsupported++;
    return 'reject:unsupported-key';
  };

  // params.json: canonical string, hash, and verify() with the hash added.
  const byId = new Map();
  for (const v of docs.params.vectors) {
    byId.set(v.id, v);
    const pairs = v.params;
    const ascii = pairs.every(([k]) => isAscii(k));
    if (light && !ascii) {
      const want = unsupported('params');
      const got = [
        verdict(api, () => api.canonical(pairs)),
        verdict(api, () => api.sign(pairs, v.secret)),
      ];
      out.params.check(got.every((g) => g === want), v.id, `got ${got}, want ${want}`);
      continue;
    }
    let canonical, hash, verified;
    try {
      canonical = api.canonical(pairs);
      hash = api.sign(pairs, v.secret);
      const withHash = pairs.filter(([k]) => k !== 'hash').concat([['hash', v.hash]]);
      verified = verdict(api, () => api.verify(withHash, v.secret));
    } catch (e) {
      out.params.check(false, v.id, `threw ${e}`);
      continue;
    }
    out.params.check(
      canonical === v.canonical && hash === v.hash && verified === 'accept',
      v.id,
      `canonical ${JSON.stringify(canonical)}, hash ${hash}, verify ${verified}`,
    );
  }

  // collation.json: key order, seen through canonical(). Each key gets its
  // position as value. canonical() refuses byte-identical duplicate keys and
  // drops `hash`, so those are left out of both sides: removing items from a
  // stably sorted list leaves the stable sort of the rest.
  for (const v of docs.collation.vectors) {
    const seen = new Set();
    const keys = v.keys.filter((k) => k !== 'hash' && !seen.has(k) && seen.add(k));
    const position = new Map(keys.map((k, i) => [k, String(i)]));
    const pairs = keys.map((k) => [k, position.get(k)]);
    if (light && !keys.every(isAscii)) {
      const want = unsupported('collation');
      const got = verdict(api, () => api.canonical(pairs));
      out.collation.check(got === want, v.id, `got ${got}`);
      continue;
    }
    const kept = new Set();
    const expected = v.sorted
      .filter((k) => position.has(k) && !kept.has(k) && kept.add(k))
      .map((k) => `${k}=${position.get(k)}`)
      .join('&');
    let got;
    try {
      got = api.canonical(pairs);
    } catch (e) {
      got = `threw ${e}`;
    }
    out.collation.check(got === expected, v.id, `order differs`);
  }

  // bodies.json: verdicts, as a string and as UTF-8 bytes; golden forms.
  const encoder = new TextEncoder();
  for (const v of docs.bodies.vectors) {
    let want = v.expected;
    if (light && bodyHasNonAsciiKey(v.body) && !BODY_KINDS.includes(want.replace('reject:', ''))) {
      want = unsupported('bodies');
    }
    let fields;
    const fromString = verdict(api, () => (fields = api.verifyForm(v.body, v.secret)));
    const fromBytes = verdict(api, () => api.verifyForm(encoder.encode(v.body), [v.secret]));
    let ok = fromString === want && fromBytes === want;
    if (ok && want === 'accept') {
      // Exactly the signed fields: they alone re-sign to the received hash.
      const values = Object.values(fields);
      ok =
        !('hash' in fields) &&
        !values.some((x) => x === '' || x === 'null' || x === 'undefined') &&
        v.body.includes(api.sign(Object.entries(fields), v.secret));
    }
    out.bodies.check(ok, v.id, `string ${fromString}, bytes ${fromBytes}, want ${want}`);

    if (v.id.endsWith('/golden')) {
      const p = byId.get(v.id.slice(0, -'/golden'.length));
      if (light && !p.params.every(([k]) => isAscii(k))) {
        const want = unsupported('golden');
        const got = verdict(api, () => api.encodeForm(p.params, p.secret));
        out.golden.check(got === want, v.id, `got ${got}`);
        continue;
      }
      let body;
      try {
        body = api.encodeForm(p.params, p.secret);
      } catch (e) {
        body = `threw ${e}`;
      }
      out.golden.check(body === v.body, v.id, `got ${body}`);
    }
  }
  return out;
}

/** Counts only (what the browser page reports). */
export function summarize(out) {
  const s = { unsupported: out.unsupported };
  for (const k of ['params', 'collation', 'bodies', 'golden']) {
    s[k] = { passed: out[k].passed, failed: out[k].failed, failures: out[k].failures };
    if (out[k].unsupported) s[k].unsupportedKey = out[k].unsupported;
  }
  return s;
}
