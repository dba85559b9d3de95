// hooksig JS glue, shared by the Node (CommonJS) and web (ESM) builds:
// scripts/build.mjs wraps this file with the import/export lines of each
// target, so it declares and exports nothing itself.
//
// It only converts types and maps errors. Every protocol rule (the filter,
// the key order, number formatting, form decoding, signing) lives in the Rust
// core. To cross into WebAssembly once per call, a call's strings are packed
// into ONE string and its numbers into ONE Float64Array; src/lib.rs documents
// the layout and unpacks it.

/* eslint-disable no-unused-vars */

/**
 * The base class of every error hooksig throws; `.kind` is the core's stable name.
 * Every error that reaches a caller is one of these, with a `kind`.
 */
class SignatureError extends Error {
  /**
   * @param {string} kind the core's stable kind name (`mismatch`, `duplicate-key`, ...)
   * @param {string} [message] the core's explanation
   * @param {number} [index] 0-based position of the offending parameter
   * @param {string} [category] `signature`, `body`, `input` or `internal`; by
   *   default the one of the class (`internal` for SignatureError itself)
   * @param {unknown} [cause]
   */
  constructor(kind, message, index, category, cause) {
    super(message, cause === undefined ? undefined : { cause });
    this.kind = kind;
    this.index = index;
    this.category = category === undefined ? categoryOfClass(new.target) : category;
  }
}
SignatureError.prototype.name = 'SignatureError';

/** The signature is missing, malformed, or does not match (category `signature`). */
class InvalidSignature extends SignatureError {}
InvalidSignature.prototype.name = 'InvalidSignature';

/** The raw body is refused before any signature is checked (category `body`). */
class MalformedBody extends SignatureError {}
MalformedBody.prototype.name = 'MalformedBody';

/** The caller passed something unusable: no secret, a bad value or key (category `input`). */
class InvalidValue extends SignatureError {}
InvalidValue.prototype.name = 'InvalidValue';

/** The class of each core `Category` (the core decides the category of a kind). */
const CLASS_OF_CATEGORY = {
  __proto__: null,
  signature: InvalidSignature,
  body: MalformedBody,
  input: InvalidValue,
  internal: SignatureError,
};

/** The category a class stands for (the inverse of CLASS_OF_CATEGORY), for `new X(kind)`. */
function categoryOfClass(Class) {
  for (let C = Class; C; C = Object.getPrototypeOf(C)) {
    for (const category in CLASS_OF_CATEGORY) {
      if (CLASS_OF_CATEGORY[category] === C) return category;
    }
  }
  return 'internal';
}

/** What a value is, for error messages (never its content: it may be a secret). */
function typeName(value) {
  if (value === null || value === undefined) return String(value);
  if (typeof value !== 'object') return `a ${typeof value}`;
  if (Array.isArray(value)) return 'an array';
  try {
    // `[object URLSearchParams]`, `[object Date]`; a class instance by its class.
    const tag = Object.prototype.toString.call(value).slice(8, -1);
    const name = tag === 'Object' ? Object.getPrototypeOf(value)?.constructor?.name : tag;
    return name && name !== 'Object' ? `a ${name}` : 'an object';
  } catch {
    return 'an object';
  }
}

/** A plain object: made by `{}`, `Object.create(null)` or `Object.fromEntries`, maybe in another realm. */
function isPlainObject(value) {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return (
    proto === null ||
    proto === Object.prototype ||
    // Another realm's Object.prototype (a vm context, an iframe).
    (Object.getPrototypeOf(proto) === null && Object.prototype.toString.call(value) === '[object Object]')
  );
}

/** The size of a real Map (from any realm, proxies excluded), or -1 for anything else. */
const mapSize = Object.getOwnPropertyDescriptor(Map.prototype, 'size').get;
function sizeIfMap(value) {
  try {
    return mapSize.call(value);
  } catch {
    return -1;
  }
}

// Built-in getters that read a typed array or an ArrayBuffer by its internal
// slots: a subclass's own `length` or a proxy's traps would run user code in
// the middle of a call, and these also accept objects from another realm.
const typedArrayProto = Object.getPrototypeOf(Uint8Array.prototype);
const typedArrayName = Object.getOwnPropertyDescriptor(typedArrayProto, Symbol.toStringTag).get;
const typedArrayLength = Object.getOwnPropertyDescriptor(typedArrayProto, 'length').get;
const arrayBufferLength = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength').get;
function isArrayBuffer(value) {
  try {
    arrayBufferLength.call(value);
    return true;
  } catch {
    return false;
  }
}

/** A scratch buffer bigger than this is released after its call (see `release`). */
const RELEASE_TEXT_BYTES = 1 << 20;
const RELEASE_META_NUMBERS = (1 << 20) / 8;
const TEXT_START = 4096;
const META_START = 256;

// Value tags of the packed params (src/lib.rs, TAG_*).
const TAG_STR = 0;
const TAG_NUMBER = 1;
const TAG_TRUE = 2;
const TAG_FALSE = 3;
const TAG_NULL = 4;
const TAG_UNSUPPORTED = 5;

/** No params read (see `readParams`). */
const EMPTY = Object.freeze([]);

/**
 * The public API over one wasm-bindgen module (its exports object).
 * @param {any} wasm
 */
function createApi(wasm) {
  const encoder = new TextEncoder();

  // Wrong argument types are `invalid-value` (the core's name and category).
  const [INVALID_KIND, INVALID_CATEGORY] = wasm.error_info(wasm.invalid_value_code()).split('\n');
  const InvalidClass = CLASS_OF_CATEGORY[INVALID_CATEGORY] || SignatureError;
  /** The error for an argument the glue cannot convert; `index` is the pair's. */
  function invalid(message, index) {
    return new InvalidClass(INVALID_KIND, `hooksig: ${message}`, index, INVALID_CATEGORY);
  }

  // Views of the two scratch buffers inside the module's memory (src/lib.rs
  // `text_buffer`, `meta_buffer`), where each call's input is written.
  // Memory growth detaches old views, so they are re-made when the memory's
  // buffer changes; a trap re-instantiation makes everything anew.
  let memory;
  let textPtr = 0;
  let textCap = 0;
  let metaPtr = 0;
  let metaCap = 0;
  let sigPtr = 0;
  let text; // Uint8Array over the text scratch
  let meta; // Float64Array over the number scratch
  let sig; // Uint8Array over the 32 signature bytes
  // The numbers of the last verifyForm's fields, inside the module: a view,
  // re-made when the buffer moves or the memory grows (fieldNumbers).
  let fieldsPtr = -1;
  let fields = new Float64Array(0);

  // A view whose buffer was detached by growth has length 0.
  function views() {
    const buffer = memory.buffer;
    text = new Uint8Array(buffer, textPtr, textCap);
    meta = new Float64Array(buffer, metaPtr, metaCap);
    sig = new Uint8Array(buffer, sigPtr, 32);
  }

  /** Takes the (new) instance's memory and small scratch buffers. */
  function instantiated() {
    memory = wasm.wasm_memory();
    textCap = TEXT_START;
    metaCap = META_START;
    textPtr = wasm.text_buffer(textCap);
    metaPtr = wasm.meta_buffer(metaCap);
    sigPtr = wasm.signature_buffer();
    views();
    // The fields' numbers live in the (new) instance too.
    fieldsPtr = -1;
  }
  instantiated();

  /** A fresh instance: after a trap (unknown state), or to give back a grown memory. */
  function reinstantiate() {
    wasm.__wbg_reset_state();
    instantiated();
    // The fresh instance keeps no key layouts (see `keptLayout`).
    layoutKeys.fill(null);
    instances++;
  }

  /** How many times the module was instantiated afresh (a call may do it on its way out). */
  let instances = 0;

  /**
   * After a call that needed big scratch buffers: a WebAssembly memory never
   * shrinks, so one 20 MiB body would keep its ~170 MB for the life of the
   * process. A fresh instance (about 0.2 ms, small next to such a call) starts
   * from the initial memory; the old one is garbage.
   */
  function release() {
    if (textCap > RELEASE_TEXT_BYTES || metaCap > RELEASE_META_NUMBERS) reinstantiate();
  }

  // The packing state of the current call: numbers written to `meta`, bytes
  // written to `text`. JS is single-threaded, but user code runs while params
  // are read (getters, proxies, iterators), and a call from there would
  // clobber this state: `busy` refuses it. Params are read once, into
  // `readKeys`/`readValues`, before anything is packed; packing itself runs
  // no user code (values are primitives, checked by `typeof`).
  let busy = false;
  let m = 0;
  let written = 0;
  let readKeys = EMPTY;
  let readValues = EMPTY;
  // Whether readKeys are an object's property names (not a Map's or pairs'
  // own strings, which may be slices of something big: see `sign`).
  let readPropertyNames = false;
  // Lone surrogates: the first packing only notes a string ending with a high
  // surrogate (`suspect`: joined to the next it could look well formed), and
  // checks each joined run of strings once before encoding it. Only if either
  // says so is everything packed again checking each string (`exact`), so that
  // the offending one is marked. Cheaper than isWellFormed() per string.
  let suspect = false;
  // A string this long is encoded straight into the text scratch: joined to
  // the rest, it would be copied once more before being encoded.
  const LONG_STRING = 1024;

  /** Encodes `s` after what is written (checking it unless `exact`). */
  function encode(s, exact) {
    if (s.length === 0) return;
    if (!exact && !s.isWellFormed()) suspect = true;
    textRoom(written + s.length * 3);
    written += encoder.encodeInto(s, written === 0 ? text : text.subarray(written)).written;
  }

  /**
   * Appends string `s` to the joined run `run` and returns the run; writes its
   * length at `meta[at]`, or -1 for a string with a lone surrogate (wasm-bindgen
   * and TextEncoder would replace it with U+FFFD). A long one is encoded at once.
   */
  function packString(run, s, at, exact) {
    if (exact) {
      if (!s.isWellFormed()) {
        meta[at] = -1;
        return run;
      }
    } else if ((s.charCodeAt(s.length - 1) & 0xfc00) === 0xd800) {
      suspect = true;
    }
    meta[at] = s.length;
    if (s.length < LONG_STRING) return run + s;
    encode(run, exact);
    encode(s, exact);
    return '';
  }

  /** The tag of a value that is not a string (`type` is its typeof). */
  function tagOf(value, type) {
    return type === 'number'
      ? TAG_NUMBER
      : type === 'boolean'
        ? value
          ? TAG_TRUE
          : TAG_FALSE
        : value === null || value === undefined
          ? TAG_NULL
          : TAG_UNSUPPORTED;
  }

  /**
   * Reads params into `readKeys`/`readValues`: an array of [key, value] pairs,
   * a plain object (keys in Object.entries order) or a Map (insertion order).
   * Anything else, such as a URLSearchParams, FormData, Date or String object,
   * is refused: read as an object it would sign none of its fields, or the
   * wrong ones. User code may run here (getters), so `busy` is set.
   */
  function readParams(params) {
    if (busy) {
      throw invalid('called while reading the params of another call (from a getter, proxy or iterator)');
    }
    busy = true;
    try {
      if (isPlainObject(params)) {
        // Own enumerable string keys in the order Object.entries uses (values
        // in one call: much faster than a lookup per key on large objects).
        // Kept in locals until both are read: a getter may call hooksig.
        const keys = Object.keys(params);
        const values = Object.values(params);
        if (values.length !== keys.length) {
          throw invalid('the params changed while they were read (a getter removed a key)');
        }
        readKeys = keys;
        readValues = values;
        readPropertyNames = true;
        return;
      }
      const keys = [];
      const values = [];
      if (Array.isArray(params)) {
        const n = params.length;
        for (let i = 0; i < n; i++) {
          const pair = params[i];
          if (!Array.isArray(pair) || pair.length !== 2) {
            throw invalid(`parameter ${i + 1} must be a [key, value] array, not ${typeName(pair)}`, i);
          }
          keys.push(pair[0]);
          values.push(pair[1]);
        }
      } else if (sizeIfMap(params) >= 0) {
        // The Map's own entries, whatever its iterator says.
        Map.prototype.forEach.call(params, (value, key) => {
          keys.push(key);
          values.push(value);
        });
      } else {
        const iterable = params !== null && typeof params === 'object' && Symbol.iterator in params;
        throw invalid(
          `params must be a plain object, a Map or an array of [key, value] pairs, not ${typeName(params)}` +
            (iterable ? ' (for its entries, pass [...params])' : ''),
        );
      }
      readKeys = keys;
      readValues = values;
      readPropertyNames = false;
    } finally {
      busy = false;
    }
  }

  /** Packs the pairs read by readParams after `run`; returns the run. */
  function packPairs(run, exact) {
    const values = readValues;
    const n = values.length;
    const keys = readKeys;
    room(n * 3);
    let at = m;
    for (let i = 0; i < n; i++, at += 3) {
      const key = keys[i];
      if (typeof key !== 'string') {
        throw invalid(`the key of parameter ${i + 1} must be a string, not ${typeName(key)}`, i);
      }
      const value = values[i];
      const type = typeof value;
      if (type === 'string') {
        meta[at] = TAG_STR;
        run = packString(run, key, at + 1, exact);
        run = packString(run, value, at + 2, exact);
        continue;
      }
      meta[at] = tagOf(value, type);
      run = packString(run, key, at + 1, exact);
      meta[at + 2] = type === 'number' ? value : 0;
    }
    m = at;
    return run;
  }

  /**
   * The secrets of a call, checked before its params are read: one string
   * (a missing one is '', so the core answers `empty-secret`), or, if
   * `many`, a list of strings (rotation; none gives `empty-secret` in the
   * core), copied into an array so that packing runs no user code (the list
   * may have getters, or be a proxy: `busy` is set while it is read).
   */
  function readSecrets(secrets, many) {
    if (!many || !Array.isArray(secrets)) {
      if (secrets === undefined || secrets === null) return '';
      if (typeof secrets !== 'string') throw invalid(`the secret must be a string, not ${typeName(secrets)}`);
      return secrets;
    }
    if (busy) {
      throw invalid('called while reading the params of another call (from a getter, proxy or iterator)');
    }
    busy = true;
    try {
      const n = secrets.length;
      const list = new Array(n);
      for (let i = 0; i < n; i++) {
        const secret = secrets[i];
        if (typeof secret !== 'string') {
          throw invalid(`each secret must be a string, not ${typeName(secret)} (secret ${i + 1})`);
        }
        list[i] = secret;
      }
      return list;
    } finally {
      busy = false;
    }
  }

  /** The secrets' numbers (`n, len_1 .. len_n`) and text after `run` (from readSecrets). */
  function packSecrets(run, secrets, exact) {
    if (typeof secrets === 'string') {
      room(2);
      meta[m] = 1;
      run = packString(run, secrets, m + 1, exact);
      m += 2;
      return run;
    }
    const n = secrets.length;
    room(1 + n);
    meta[m++] = n;
    for (let i = 0; i < n; i++) run = packString(run, secrets[i], m++, exact);
    return run;
  }

  /** maxParams of the form options, or NaN for the core's default. */
  function maxParams(options) {
    if (options !== undefined && options !== null && typeof options !== 'object') {
      throw invalid(`the options must be an object such as { maxParams: 100 }, not ${typeName(options)}`);
    }
    const max = options === undefined || options === null ? undefined : options.maxParams;
    if (max !== undefined && !(Number.isSafeInteger(max) && max >= 0)) {
      throw invalid('maxParams must be a non-negative integer');
    }
    return max === undefined ? NaN : max;
  }

  /**
   * Packs a call's input into the scratch buffers: `max` (a form call's
   * maxParams, or undefined for none), the secrets from readSecrets (or
   * undefined for none), then, if `withPairs`, the params read by
   * readParams. Returns the text's byte length; `m` is the meta's.
   */
  function pack(max, secrets, withPairs) {
    try {
      for (let exact = false; ; exact = true) {
        m = 0;
        written = 0;
        suspect = false;
        if (meta.length === 0) views();
        if (max !== undefined) {
          room(1);
          meta[m++] = max;
        }
        let run = secrets === undefined ? '' : packSecrets('', secrets, exact);
        if (withPairs) run = packPairs(run, exact);
        encode(run, exact);
        if (exact || !suspect) return written;
      }
    } catch (e) {
      release();
      throw e;
    } finally {
      readKeys = EMPTY;
      readValues = EMPTY;
    }
  }

  /** Reads the secret (`many`: or a list of them) and the params, then packs them. */
  function packParams(params, secrets, many) {
    secrets = readSecrets(secrets, many);
    readParams(params);
    return pack(undefined, secrets, true);
  }

  // Key layouts the module keeps for `sign` (src/lib.rs `LAYOUTS`): the key
  // array each slot was made from, or null. A sender signs a few event
  // shapes over and over; with keys equal (===, one by one) to a kept
  // slot's, only the values are packed, and the module neither reads nor
  // orders the keys again. A slot is set only after the module said it kept
  // that layout, and every slot is forgotten with the instance.
  const LAYOUTS = 4;
  const layoutKeys = [null, null, null, null];
  let nextLayout = 0;
  /** Keys past this many are not worth a slot (the module also caps their bytes). */
  const LAYOUT_MAX_KEYS = 128;

  /**
   * Packs a `sign` with kept keys: the secret (from readSecrets) and the
   * values only, `tag, length or number` each, in one loop. Returns the
   * text's byte length, or -1 when a string is long or may hold a lone
   * surrogate, or the scratch is too small: `sign` then packs keys and
   * values in full, checking everything, as for new keys. No user code runs
   * here (values are primitives).
   */
  function packKeptValues(secret) {
    const values = readValues;
    const n = values.length;
    if (secret.length >= LONG_STRING || 2 + 2 * n > metaCap) return -1;
    if (meta.length === 0) views();
    meta[0] = 1;
    meta[1] = secret.length;
    // A string ending with a high surrogate could pair up with the next one
    // (charCodeAt(-1) of an empty string is NaN, which masks to 0).
    if ((secret.charCodeAt(secret.length - 1) & 0xfc00) === 0xd800) return -1;
    let run = secret;
    let at = 2;
    for (let i = 0; i < n; i++, at += 2) {
      const value = values[i];
      const type = typeof value;
      if (type === 'string') {
        if (value.length >= LONG_STRING || (value.charCodeAt(value.length - 1) & 0xfc00) === 0xd800) return -1;
        meta[at] = TAG_STR;
        meta[at + 1] = value.length;
        run += value;
      } else {
        meta[at] = tagOf(value, type);
        meta[at + 1] = type === 'number' ? value : 0;
      }
    }
    if (run.length * 3 > textCap || !run.isWellFormed()) return -1;
    if (text.length === 0) views();
    m = at;
    readKeys = EMPTY;
    readValues = EMPTY;
    return encoder.encodeInto(run, text).written;
  }

  /** `key` as a property name: its own string, which holds no bigger string alive. */
  function propertyName(key) {
    return key.length < 13 ? key : Object.keys({ [key]: 0 })[0];
  }

  /** The slot whose keys are `keys`, or -1. */
  function keptLayout(keys) {
    const n = keys.length;
    search: for (let slot = 0; slot < LAYOUTS; slot++) {
      const kept = layoutKeys[slot];
      if (kept === null || kept.length !== n) continue;
      for (let i = 0; i < n; i++) if (kept[i] !== keys[i]) continue search;
      return slot;
    }
    return -1;
  }

  /**
   * Calls a buffer export that may grow the module's memory. A trap there (out
   * of memory) is handled like one in `call`: a fresh instance, `internal`.
   */
  function grow(fn, size) {
    try {
      return fn(size);
    } catch (e) {
      throw convert(e);
    }
  }

  /** Makes room for `n` more numbers (those written so far are kept). */
  function room(n) {
    if (m + n > metaCap) {
      const cap = Math.max(m + n, metaCap * 2);
      metaPtr = grow(wasm.meta_buffer, cap);
      metaCap = cap;
      views();
    }
  }

  /** Makes the text scratch hold at least `bytes`. */
  function textRoom(bytes) {
    if (bytes > textCap) {
      const cap = Math.max(bytes, textCap * 2);
      textPtr = grow(wasm.text_buffer, cap);
      textCap = cap;
      views();
    } else if (text.length === 0) {
      views();
    }
  }

  function fromCode(code) {
    const [kind, category, message] = wasm.error_info(code).split('\n');
    const index = Math.floor(code / 16) - 1;
    const Class = CLASS_OF_CATEGORY[category] || SignatureError;
    return new Class(kind, message, index >= 0 ? index : undefined, category);
  }

  /** Maps what a WASM call threw to a hooksig error. */
  function convert(e) {
    if (typeof e === 'number') return fromCode(e);
    if (e instanceof WebAssembly.RuntimeError) {
      // A trap leaves the instance in an unknown state (a RefCell borrowed, a
      // buffer half grown): start a fresh one so the next call works, and
      // report the bug as `internal`.
      reinstantiate();
      const err = fromCode(wasm.internal_error_code());
      err.cause = e;
      return err;
    }
    return e;
  }

  /**
   * Calls a WASM export on the packed arguments, and `then` on its result
   * while the instance is still the one that made it (`release` may start a
   * fresh one on the way out).
   */
  function call(fn, a, b, c, then) {
    try {
      const result = fn(a, b, c);
      return then === undefined ? result : then(result);
    } catch (e) {
      throw convert(e);
    } finally {
      release();
    }
  }

  /** Whether the last `wasm.sign` kept the layout it was asked to (1) or not (0). */
  let kept = 0;

  /** The core's sign, and the 32 ASCII hex digits it leaves in `signature_buffer`. */
  function signAndRead(textLen, metaLen, layout) {
    // One number back (src/lib.rs `sign`): kept (1) or not (0), or -1 - error code.
    kept = wasm.sign(textLen, metaLen, layout);
    if (kept < 0) throw -1 - kept;
    if (sig.length === 0) views();
    const s = sig;
    return String.fromCharCode(
      s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9], s[10], s[11], s[12], s[13], s[14], s[15],
      s[16], s[17], s[18], s[19], s[20], s[21], s[22], s[23], s[24], s[25], s[26], s[27], s[28], s[29], s[30], s[31],
    );
  }

  /**
   * A JS string's bytes the way WTF-8 writes them: UTF-8, except that a lone
   * surrogate becomes its 3-byte form (ED A0 80 for U+D800), which is not
   * UTF-8. The core's parser then reports `invalid-encoding` at that
   * segment, in its usual left-to-right order; TextEncoder would have
   * replaced it with U+FFFD. Only for the rare ill-formed body.
   */
  function wtf8(s) {
    const out = new Uint8Array(s.length * 3);
    let n = 0;
    let from = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0xd800 || c > 0xdfff) continue;
      if (c <= 0xdbff && i + 1 < s.length) {
        const next = s.charCodeAt(i + 1);
        if (next >= 0xdc00 && next <= 0xdfff) {
          i++; // a well-formed pair
          continue;
        }
      }
      n += encoder.encodeInto(s.slice(from, i), out.subarray(n)).written;
      out[n++] = 0xe0 | (c >> 12);
      out[n++] = 0x80 | ((c >> 6) & 0x3f);
      out[n++] = 0x80 | (c & 0x3f);
      from = i + 1;
    }
    n += encoder.encodeInto(s.slice(from), out.subarray(n)).written;
    return out.subarray(0, n);
  }

  /** The view of the last verifyForm's field numbers (src/lib.rs `fields_buffer`). */
  function fieldNumbers() {
    const ptr = wasm.fields_buffer();
    if (ptr !== fieldsPtr || fields.length === 0 || fields.buffer !== memory.buffer) {
      fieldsPtr = ptr;
      fields = new Float64Array(memory.buffer, ptr, wasm.fields_capacity());
    }
    return fields;
  }

  // The property names of the last fields returned. A receiver sees the same
  // keys call after call; a key equal to the one at its place last time is
  // replaced by that string, which the engine already knows as a property
  // name: that spares it looking up each new key string (about half of
  // unpacking a deposit). Taken from Object.keys, so they hold no body alive.
  let lastKeys = EMPTY;

  /**
   * Turns the module's answer into fields: `out` holds the pieces that are
   * not slices of the (ASCII) string `body`, keys first, and fieldNumbers()
   * says where each piece is (src/lib.rs `verify_form_packed`).
   */
  function unpackFields(out, body) {
    const f = fieldNumbers();
    const secretIndex = f[0];
    const n = f[1];
    // Many fields of a body that is not an ASCII string come as JSON.
    if (n < 0) return JSON.parse(out);
    // Values' pieces follow the keys' in `out`.
    let valueAt = 0;
    for (let j = 2; j < 2 + 4 * n; j += 4) if (f[j] < 0) valueAt += f[j + 1];
    let keyAt = 0;
    const last = lastKeys;
    let same = last.length === n;
    const params = {};
    for (let i = 0, j = 2; i < n; i++, j += 4) {
      const keyOffset = f[j];
      const keyLength = f[j + 1];
      const valueOffset = f[j + 2];
      const valueLength = f[j + 3];
      let key;
      if (keyOffset < 0) {
        key = out.slice(keyAt, (keyAt += keyLength));
      } else {
        key = body.slice(keyOffset, keyOffset + keyLength);
      }
      if (key === last[i]) key = last[i];
      else same = false;
      let value;
      if (valueOffset < 0) {
        value = out.slice(valueAt, (valueAt += valueLength));
      } else {
        value = body.slice(valueOffset, valueOffset + valueLength);
      }
      if (key === '__proto__') {
        // Assignment would set the prototype: define an own property instead.
        Object.defineProperty(params, key, { value, enumerable: true, writable: true, configurable: true });
      } else {
        params[key] = value;
      }
    }
    if (!same) lastKeys = Object.keys(params);
    return { params, secretIndex };
  }

  /** Calls the text or bytes variant of a body function. */
  function withBody(textFn, bytesFn, body, secrets, options, then) {
    let bytes = body;
    if (typeof body === 'string') {
      // A JS string body goes in as its UTF-8 bytes, BOM included: the core
      // strips one raw BOM, as the vectors require.
      if (body.isWellFormed()) {
        // The body is encoded on its own, after the secrets: joined to them it
        // would be copied once more (a large body is most of the work).
        const secretsLen = pack(maxParams(options), readSecrets(secrets, true), false);
        textRoom(secretsLen + body.length * 3);
        const bodyLen = encoder.encodeInto(body, text.subarray(secretsLen)).written;
        return call(textFn, secretsLen + bodyLen, m, undefined, then);
      }
      bytes = wtf8(body);
    } else if (isArrayBuffer(body)) {
      bytes = new Uint8Array(body);
    }
    // A real Uint8Array (a Buffer too), read by its internal slots only.
    if (typedArrayName.call(bytes) !== 'Uint8Array') {
      throw invalid(`the body must be a string, a Uint8Array or an ArrayBuffer, not ${typeName(body)}`);
    }
    const length = typedArrayLength.call(bytes);
    const secretsLen = pack(maxParams(options), readSecrets(secrets, true), false);
    textRoom(secretsLen + length);
    text.set(bytes, secretsLen);
    return call(bytesFn, secretsLen, length, m, then);
  }

  /**
   * Signs params with one secret: 32 lowercase hex digits.
   * @param {object} params
   * @param {string} secret
   * @returns {string}
   */
  function sign(params, secret) {
    secret = readSecrets(secret, false);
    readParams(params);
    const keys = readKeys;
    let slot = keptLayout(keys);
    if (slot >= 0) {
      const textLen = packKeptValues(secret);
      if (textLen >= 0) return call(signAndRead, textLen, m, 2 * slot + 1);
      // Left to the full packing: the layout is made again, in the same slot.
    } else if (keys.length <= LAYOUT_MAX_KEYS) {
      slot = nextLayout;
      nextLayout = (slot + 1) % LAYOUTS;
    }
    if (slot >= 0) layoutKeys[slot] = null;
    const fromProperties = readPropertyNames;
    const before = instances;
    const hex = call(signAndRead, pack(undefined, secret, true), m, slot >= 0 ? 2 * slot : -1);
    // Kept by this instance, unless the call replaced it (`release` after a big call).
    if (slot >= 0 && kept === 1 && instances === before) {
      // A Map's or pairs' key may be a slice of a big string, which it would
      // keep alive: keep property-name copies of those (only when a layout is
      // kept, and only strings long enough to be slices).
      layoutKeys[slot] = fromProperties ? keys : keys.map(propertyName);
    }
    return hex;
  }

  /** Verifies params that carry their `hash`; throws on failure. */
  function verify(params, secret) {
    call(wasm.verify, packParams(params, secret, true), m);
  }

  /** The string the reference hashes before appending the secret. */
  function canonical(params) {
    readParams(params);
    return call(wasm.canonical, pack(undefined, undefined, true), m);
  }

  /** The complete signed body a sender POSTs (golden vectors byte for byte). */
  function encodeForm(params, secret) {
    return call(wasm.encode_form, packParams(params, secret, false), m);
  }

  /** Verifies a raw body; returns the signed fields and the index of the matching secret. */
  function verifyFormDetailed(body, secrets, options) {
    return withBody(wasm.verify_form_text, wasm.verify_form_bytes, body, secrets, options, (out) =>
      unpackFields(out, body),
    );
  }

  /** Verifies a raw body; returns the signed fields only. */
  function verifyForm(body, secret, options) {
    return verifyFormDetailed(body, secret, options).params;
  }

  /** Explains a verification as a plain object (never contains the secret). */
  function explain(body, secret, options) {
    return JSON.parse(withBody(wasm.explain_text, wasm.explain_bytes, body, secret, options));
  }

  /** Test-only: traps the module, to prove the recovery. Not part of the API. */
  function trap() {
    call(wasm.__trap);
  }

  const api = {
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
  };
  // Not an export and not enumerable: the tests reach it as
  // `hooksig[Symbol.for('hooksig.trap')]` on the default export.
  Object.defineProperty(api, Symbol.for('hooksig.trap'), { value: trap });
  // Test-only too: copies of the key arrays whose layouts are kept, by slot.
  Object.defineProperty(api, Symbol.for('hooksig.layouts'), {
    value: () => layoutKeys.map((keys) => (keys === null ? null : [...keys])),
  });
  return api;
}
