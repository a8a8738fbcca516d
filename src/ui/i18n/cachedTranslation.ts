// useTranslation with a memo in front of i18next's t(): the same key with the same plain options,
// in the same language, is the same string, and the panels ask for it again and again (a title per
// skiplist node and per dict bucket, the time bar's labels), dozens of times per animation frame
// while they animate. i18next resolves, interpolates and nests on every call (tens of µs each);
// frame-time profiles (scripts/bench-frames.ts) showed it taking a tenth of the page's main thread.
//
// The memo belongs to one t function: react-i18next hands out a new one when the language changes,
// so a language switch starts afresh. Calls it cannot key safely (options holding objects,
// returnObjects, several arguments, a non-string key) go straight to i18next. Resources are fixed
// at start-up (i18n/index.ts), so a remembered string never goes stale.
import { useTranslation as useI18nextTranslation } from 'react-i18next';

/** Strings remembered per t function at most; beyond that the memo starts over. */
export const MAX_CACHED = 20_000;

type AnyT = (...args: never[]) => unknown;

const wrappers = new WeakMap<AnyT, AnyT>();

/** The memo key of a call, or null when its options are not plain (strings, numbers, booleans, null/undefined). */
function memoKey(key: string, options: unknown): string | null {
  if (options === undefined) return key;
  if (typeof options !== 'object' || options === null) return null;
  let id = key + '\u0000';
  for (const name in options) {
    const v = (options as Record<string, unknown>)[name];
    if (name === 'returnObjects' && v) return null;
    const type = typeof v;
    if (type === 'string' || type === 'number' || type === 'boolean') id += `${name}\u0001${type[0]}${String(v)}\u0002`;
    else if (v === undefined || v === null) id += `${name}\u0001${String(v)}\u0002`;
    else return null;
  }
  return id;
}

/** `t` with a memo (one wrapper per t function, so its identity is as stable as t's). */
export function cachedT<T extends AnyT>(t: T): T {
  const known = wrappers.get(t);
  if (known) return known as T;
  const memo = new Map<string, string>();
  const call = t as unknown as (...args: unknown[]) => unknown;
  const wrapper = (...args: unknown[]): unknown => {
    const [key, options] = args;
    const id = args.length <= 2 && typeof key === 'string' ? memoKey(key, options) : null;
    if (id === null) return call(...args);
    const hit = memo.get(id);
    if (hit !== undefined) return hit;
    const s = call(...args);
    if (typeof s === 'string') {
      if (memo.size >= MAX_CACHED) memo.clear();
      memo.set(id, s);
    }
    return s;
  };
  wrappers.set(t, wrapper as unknown as AnyT);
  return wrapper as unknown as T;
}

/** react-i18next's useTranslation, with a memoized t. */
export function useTranslation(...args: Parameters<typeof useI18nextTranslation>) {
  const { t, i18n, ready } = useI18nextTranslation(...args);
  return { t: cachedT(t), i18n, ready };
}
