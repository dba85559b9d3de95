// Types of the npm package `hooksig` (the same for the Node and browser
// builds, and for `hooksig/light`).

/**
 * One parameter value as the reference receiver would see it.
 * - strings and booleans are signed as their text (`true`, `false`);
 * - numbers are formatted exactly like JavaScript's `String(number)` (by the core);
 * - `null` and `undefined` drop the pair.
 *
 * Arrays and objects (what `qs` makes of `a[]=1` or `a[b]=1`) are refused
 * with `invalid-value`; they are never stringified.
 */
export type ParamValue = string | number | boolean | null | undefined;

/** A key/value pair; key order is the insertion order (it breaks collation ties). */
export type ParamPair = readonly [key: string, value: ParamValue];

/**
 * Parameters: a plain object (keys in `Object.keys` order, like the reference's
 * `Object.entries`; its prototype is `Object.prototype` or `null`), a `Map`
 * (insertion order), or an array of `[key, value]` pairs. Any other object, such
 * as a `URLSearchParams`, `FormData`, `Date`, `String` or class instance, is
 * refused with `invalid-value`: pass `[...searchParams]` for its entries.
 */
export type Params =
  | Readonly<Record<string, ParamValue>>
  | ParamMap
  | readonly ParamPair[];

/**
 * A `Map` of params, iterated in insertion order. (`append?: never` keeps out
 * `URLSearchParams`, `FormData` and `Headers`: they look like a ReadonlyMap to
 * TypeScript, but are refused at run time.)
 */
export type ParamMap = ReadonlyMap<string, ParamValue> & { readonly append?: never };

/** A raw `application/x-www-form-urlencoded` body: a string is taken as its UTF-8 bytes. */
export type Body = string | Uint8Array | ArrayBuffer;

/** One secret, or several (rotation): the body passes if any of them signed it. */
export type Secrets = string | readonly string[];

/** Options of the body functions. */
export interface FormOptions {
  /** The most `&`-separated segments a body may have (default 1000, empty ones included). */
  maxParams?: number;
}

/** The stable error kind names, identical in Rust, the CLI, Python and JS. */
export type ErrorKind =
  | 'mismatch'
  | 'malformed-hash'
  | 'missing-hash'
  | 'duplicate-key'
  | 'empty-key'
  | 'invalid-encoding'
  | 'too-many-params'
  | 'empty-secret'
  | 'unsupported-key'
  | 'invalid-value'
  | 'internal';

/** The broad class of a kind, which selects the error class. */
export type ErrorCategory = 'signature' | 'body' | 'input' | 'internal';

/**
 * Base class of every error hooksig throws (wrong argument types included:
 * `invalid-value`). The package builds them itself; construct one only for a
 * test double, with a known kind.
 */
export class SignatureError extends Error {
  /**
   * @param kind the core's stable kind name
   * @param message the explanation (default empty)
   * @param index 0-based position of the offending parameter
   * @param category default: the class's (`signature` for InvalidSignature,
   *   `body` for MalformedBody, `input` for InvalidValue, `internal` here)
   * @param cause what caused it (the `RuntimeError` of a trap)
   */
  constructor(kind: ErrorKind, message?: string, index?: number, category?: ErrorCategory, cause?: unknown);
  /** The core's stable kind name. */
  readonly kind: ErrorKind;
  /** 0-based position of the offending parameter (body segment or pair), when there is one. */
  readonly index: number | undefined;
  readonly category: ErrorCategory;
}
/** `missing-hash`, `malformed-hash` or `mismatch`. */
export class InvalidSignature extends SignatureError {}
/** `duplicate-key`, `empty-key`, `invalid-encoding` or `too-many-params`. */
export class MalformedBody extends SignatureError {}
/** `empty-secret`, `unsupported-key` or `invalid-value` (also: an argument of the wrong type). */
export class InvalidValue extends SignatureError {}

/** The result of {@link verifyFormDetailed}. */
export interface Verified {
  /** The signed fields only (no `hash`, no empty/`null`/`undefined` values). */
  params: Record<string, string>;
  /** Index of the secret that matched. */
  secretIndex: number;
}

/** One decoded field of an explained body. */
export interface ExplainField {
  key: string;
  value: string;
  /** Why the field is not signed, or `null` when it is. */
  dropped: null | 'hash-field' | 'null' | 'empty' | 'null-text' | 'undefined-text';
}

/**
 * What {@link explain} found. Never contains the secret. `expected` holds valid
 * signatures of the body: log it, never send it back to the requester.
 */
export interface Explanation {
  valid: boolean;
  secretIndex: number | null;
  error: null | {
    kind: ErrorKind;
    category: ErrorCategory;
    message: string;
    index: number | null;
  };
  /** Every field in body order; empty when the body was refused. */
  fields: ExplainField[];
  /** The string hashed before the secret; `null` when the body was refused. */
  canonical: string | null;
  /** The signature under each secret, in order. */
  expected: string[];
  /** The `hash` the body carried, if any. */
  received: string | null;
  /**
   * For a mismatched or malformed hash: known-wrong computations (sender bugs)
   * that reproduce it, or could explain it, most likely first.
   */
  diagnosis: null | {
    /** The variant that reproduces the received hash exactly, if one does. */
    cause: string | null;
    findings: Array<{
      variant: string;
      description: string;
      reproduces: boolean;
      secretIndex: number | null;
    }>;
  };
  /** The same report as text, for people. */
  text: string;
}

/** Signs params with one secret: 32 lowercase hex digits. */
export function sign(params: Params, secret: string): string;
/** Verifies params that include their `hash`; throws a {@link SignatureError} on failure. */
export function verify(params: Params, secret: Secrets): void;
/** The exact string the reference hashes (before the secret is appended). */
export function canonical(params: Params): string;
/** The complete signed body a sender POSTs: signed fields in canonical order, then `hash`. */
export function encodeForm(params: Params, secret: string): string;
/** Verifies a raw body; returns the signed fields only. Throws a {@link SignatureError}. */
export function verifyForm(body: Body, secret: Secrets, options?: FormOptions): Record<string, string>;
/** Like {@link verifyForm}, and tells which secret matched. */
export function verifyFormDetailed(body: Body, secrets: Secrets, options?: FormOptions): Verified;
/** Explains a verification (for the operator's logs and tools). */
export function explain(body: Body, secret: Secrets, options?: FormOptions): Explanation;

declare const hooksig: {
  sign: typeof sign;
  verify: typeof verify;
  canonical: typeof canonical;
  encodeForm: typeof encodeForm;
  verifyForm: typeof verifyForm;
  verifyFormDetailed: typeof verifyFormDetailed;
  explain: typeof explain;
  SignatureError: typeof SignatureError;
  InvalidSignature: typeof InvalidSignature;
  MalformedBody: typeof MalformedBody;
  InvalidValue: typeof InvalidValue;
};
export default hooksig;
