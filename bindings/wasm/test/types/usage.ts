// Compiled by test/types.test.mjs with `tsc --noEmit`: valid uses type-check,
// and each `@ts-expect-error` line must really be an error (tsc fails on an
// unused one), so the declarations cannot silently decay to `any`.
import hooksig, {
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
  type Params,
  type Verified,
  type Explanation,
  type ErrorKind,
} from 'hooksig';
import * as light from 'hooksig/light';

const params: Params = { event: 'DEPOSIT', amount: 10.5, flag: true, memo: null, gone: undefined };
const pairs: Params = [
  ['event', 'DEPOSIT'],
  ['amount', 1e21],
];
const map: Params = new Map<string, string | number>([['a', 1]]);
const readonlyMap: ReadonlyMap<string, string> = new Map([['b', '2']]);
sign(readonlyMap, 's');
const hash: string = sign(params, 's');
verify({ ...params, hash }, ['old', 's']);
const c: string = canonical(pairs) + canonical(map);
const body: string = encodeForm(params, 's');
const fields: Record<string, string> = verifyForm(body, 's', { maxParams: 10 });
const fromBytes: Record<string, string> = verifyForm(new TextEncoder().encode(body), ['a', 'b']);
const detailed: Verified = verifyFormDetailed(body, ['a']);
const index: number = detailed.secretIndex;
const report: Explanation = explain(body, 's');
const why: string | null = report.canonical;
const lightHash: string = light.sign(params, 's') + hooksig.sign(params, 's');

try {
  verifyForm(body, 's');
} catch (e) {
  if (e instanceof SignatureError) {
    const kind: ErrorKind = e.kind;
    const at: number | undefined = e.index;
    void kind;
    void at;
  }
  if (e instanceof InvalidSignature) void e.category;
}

// @ts-expect-error: an array value is not a parameter value
sign({ a: [1, 2] }, 's');
// @ts-expect-error: an object value is not a parameter value
sign({ a: { b: 1 } }, 's');
// @ts-expect-error: pairs are [key, value]
sign([['a', 1, 2]], 's');
// @ts-expect-error: a secret is a string
sign(params, 42);
// @ts-expect-error: sign takes one secret, not a list
sign(params, ['a', 'b']);
// @ts-expect-error: a body is a string or bytes
verifyForm(42, 's');
// @ts-expect-error: the result holds strings only
const n: Record<string, number> = verifyForm(body, 's');
// @ts-expect-error: not a known kind
const k: ErrorKind = 'nope';
// @ts-expect-error: URLSearchParams is not params (pass [...searchParams])
sign(new URLSearchParams('a=1'), 's');
// @ts-expect-error: a Date is not params
canonical(new Date());

// Errors can be built (test doubles) with a known kind; the first argument is the kind.
const double: InvalidSignature = new InvalidSignature('mismatch', 'signature mismatch');
const refused = new MalformedBody('duplicate-key', 'duplicate key', 1, 'body');
const doubleKind: ErrorKind = double.kind;
void [refused.index, doubleKind];
// @ts-expect-error: the first argument is a kind, not a message
new InvalidSignature('x');
// @ts-expect-error: the index is a number
new SignatureError('internal', 'm', '1');
// @ts-expect-error: not a category
new SignatureError('internal', 'm', 0, 'other');

void [c, fields, fromBytes, index, why, lightHash, n, k];
