// Arbitraries for hostile input, shared by the central API and desk fuzz tests: anything at all,
// and "almost right" values (a valid input with one field removed, replaced, or one too many).
import fc from 'fast-check';

export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 100);

type Path = (string | number)[];

function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [prefix];
  const children = Array.isArray(value)
    ? value.map((item, i) => pathsOf(item, [...prefix, i]))
    : Object.entries(value).map(([k, v]) => pathsOf(v, [...prefix, k]));
  return [prefix, ...children.flat()];
}

function withAt(value: unknown, path: Path, change: (parent: any, key: string | number) => void): unknown {
  const copy = structuredClone(value);
  if (path.length === 0) return copy;
  let parent: any = copy;
  for (const key of path.slice(0, -1)) parent = parent[key];
  change(parent, path.at(-1)!);
  return copy;
}

/** `valid` with one field (at any depth) removed, replaced by any value, or joined by an unknown sibling. */
export function almost(valid: unknown): fc.Arbitrary<unknown> {
  const paths = pathsOf(valid).filter((p) => p.length > 0);
  return fc
    .tuple(fc.nat({ max: Math.max(0, paths.length - 1) }), fc.constantFrom('remove', 'replace', 'extra'), fc.anything(), fc.string())
    .map(([index, how, replacement, extraKey]) => {
      const path = paths[index] ?? [];
      return withAt(valid, path, (parent, key) => {
        if (how === 'remove') {
          if (Array.isArray(parent)) parent.splice(Number(key), 1);
          else delete parent[key];
        } else if (how === 'replace') parent[key] = replacement;
        else if (!Array.isArray(parent)) parent[`${extraKey}_extra`] = replacement;
      });
    });
}

/** Anything a caller could send as a body value: arbitrary JSON-able values, and almost-valid ones. */
export const hostileValue = (valid?: unknown): fc.Arbitrary<unknown> =>
  valid === undefined ? fc.anything() : fc.oneof({ weight: 1, arbitrary: fc.anything() }, { weight: 3, arbitrary: almost(valid) });

/** Raw body text: JSON of a hostile value, or text that is not JSON at all. */
export const hostileBodyText = (valid?: unknown): fc.Arbitrary<string | undefined> =>
  fc.oneof(
    { weight: 4, arbitrary: hostileValue(valid).map((v) => JSON.stringify(v) as string | undefined) },
    { weight: 1, arbitrary: fc.string() },
    { weight: 1, arbitrary: fc.constantFrom(undefined, '', '{', '[1,', '{"a":1}}', 'null', '"str"', '1e999', '{"__proto__":{"x":1}}') },
  );

export const hostileContentType = fc.constantFrom(
  undefined,
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'garbage',
);

/** A query string: random text, or parameters with random names and values (repeats included). */
export const hostileQuery: fc.Arbitrary<string> = fc.oneof(
  fc.constant(''),
  fc.string().map((s) => `?${encodeURI(s)}`),
  fc
    .array(
      fc.tuple(
        fc.oneof(fc.constantFrom('after', 'limit', 'token', 'x'), fc.string()),
        fc.oneof(fc.string(), fc.integer().map(String), fc.constantFrom('-1', '1e309', 'NaN', '0x10', '99999999999999999999')),
      ),
      { maxLength: 4 },
    )
    .map((pairs) => `?${new URLSearchParams(pairs).toString()}`),
);
