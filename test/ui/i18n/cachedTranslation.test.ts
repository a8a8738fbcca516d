// The memo in front of i18next's t: the same answers as i18next (interpolation, plurals, both
// languages), i18next asked once per distinct call, calls it cannot key passed straight through.
import { describe, expect, it } from 'vitest';
import i18next from 'i18next';
import { cachedT, MAX_CACHED } from '../../../src/ui/i18n/cachedTranslation.ts';

async function instance() {
  const i = i18next.createInstance();
  await i.init({
    lng: 'en',
    resources: {
      en: { translation: { hello: 'Hello {{name}}', items_one: '{{count}} item', items_other: '{{count}} items', plain: 'Plain', obj: { a: 'A' } } },
      zh: { translation: { hello: '你好 {{name}}', items_other: '{{count}} 项', plain: '朴素', obj: { a: '甲' } } },
    },
    interpolation: { escapeValue: false },
  });
  return i;
}

/** A t that counts how often i18next is really asked. */
function counting<T extends (...a: never[]) => unknown>(t: T): { t: T; calls: () => number } {
  let n = 0;
  const wrapped = ((...a: unknown[]) => { n++; return (t as unknown as (...x: unknown[]) => unknown)(...a); }) as unknown as T;
  return { t: wrapped, calls: () => n };
}

describe('cachedT', () => {
  it('answers as i18next does, asking it once per distinct key and options', async () => {
    const i = await instance();
    const base = counting(i.getFixedT('en'));
    const t = cachedT(base.t);
    const calls: [string, Record<string, unknown>?][] = [
      ['hello', { name: 'Ada' }], ['hello', { name: 'Bob' }], ['plain'], ['items', { count: 1 }], ['items', { count: 2 }],
      ['hello', { name: 1 }], ['hello', { name: '1' }], ['missing.key'], ['hello', { name: null }],
    ];
    for (let round = 0; round < 3; round++) {
      for (const [k, o] of calls) expect(t(k as never, o as never)).toBe(i.t(k, o as never));
    }
    expect(base.calls()).toBe(calls.length);
    expect(t('items' as never, { count: 2 } as never)).toBe('2 items');
    expect(t('items' as never, { count: 1 } as never)).toBe('1 item');
  });

  it('one wrapper per t: a new language (a new t) starts afresh', async () => {
    const i = await instance();
    const en = i.getFixedT('en');
    const zh = i.getFixedT('zh');
    expect(cachedT(en)).toBe(cachedT(en));
    expect(cachedT(en)('hello' as never, { name: 'A' } as never)).toBe('Hello A');
    expect(cachedT(zh)('hello' as never, { name: 'A' } as never)).toBe('你好 A');
  });

  it('passes calls with object options or returnObjects straight through', async () => {
    const i = await instance();
    const base = counting(i.getFixedT('en'));
    const t = cachedT(base.t);
    const o = { toString: () => 'X' };
    t('hello' as never, { name: o } as never);
    t('hello' as never, { name: o } as never);
    expect(base.calls()).toBe(2);
    expect(t('obj' as never, { returnObjects: true } as never)).toEqual({ a: 'A' });
    expect(t('obj' as never, { returnObjects: true } as never)).toEqual({ a: 'A' });
    expect(base.calls()).toBe(4);
  });

  it('starts over when full rather than growing without bound', async () => {
    const i = await instance();
    const base = counting(i.getFixedT('en'));
    const t = cachedT(base.t);
    for (let n = 0; n <= MAX_CACHED; n++) t('hello' as never, { name: n } as never);
    expect(base.calls()).toBe(MAX_CACHED + 1);
    // The first one was dropped with the rest when the memo filled; the last one is kept.
    t('hello' as never, { name: MAX_CACHED } as never);
    expect(base.calls()).toBe(MAX_CACHED + 1);
    t('hello' as never, { name: 0 } as never);
    expect(base.calls()).toBe(MAX_CACHED + 2);
  });
});
