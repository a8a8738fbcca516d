// The settings store: kept in IndexedDB (fake-indexeddb here), with the localStorage copy that
// index.html reads for the first paint; IndexedDB wins when the two disagree.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createSettingsStore, FIRST_PAINT_KEY, initialSettings, resolveTheme, SETTINGS_RECORD, validSettings,
} from '../../../src/ui/state/settings.ts';
import { deleteRecord, readRecord, writeRecord } from '../../../src/ui/storage/db.ts';
import { fakeLocalStorage } from '../../support/fakeLocalStorage.ts';

/** localStorage as a page has it. */
type Store = ReturnType<typeof createSettingsStore>;

function hydrated(store: Store): Promise<void> {
  if (store.persist.hasHydrated()) return Promise.resolve();
  return new Promise((resolve) => { const off = store.persist.onFinishHydration(() => { off(); resolve(); }); });
}

/** A page load: a new store, once it has read IndexedDB. */
async function load(): Promise<Store> {
  const store = createSettingsStore();
  await hydrated(store);
  return store;
}

async function savedRecord(): Promise<unknown> {
  return (await readRecord<{ state: unknown }>('settings', SETTINGS_RECORD))?.state;
}

let local: ReturnType<typeof fakeLocalStorage>;

beforeEach(async () => {
  await deleteRecord('settings', SETTINGS_RECORD);
  local = fakeLocalStorage();
  vi.stubGlobal('localStorage', local);
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('settings store', () => {
  it('starts with the browser language, the system theme and normal text when nothing is saved', async () => {
    vi.stubGlobal('navigator', { languages: ['zh-CN', 'en'], language: 'zh-CN' });
    const store = await load();
    expect(store.getState()).toMatchObject({ language: 'zh', theme: 'system', textSize: 'normal' });
    vi.stubGlobal('navigator', { languages: ['fr-FR', 'en-GB'], language: 'fr-FR' });
    expect((await load()).getState().language).toBe('en');
  });

  it('keeps every setting across a reload, in IndexedDB', async () => {
    const store = await load();
    store.getState().setLanguage('zh');
    store.getState().setTheme('dark');
    store.getState().setTextSize('projector');
    await vi.waitFor(async () => expect(await savedRecord()).toEqual({ language: 'zh', theme: 'dark', textSize: 'projector' }));
    // Without the first-paint copy too: IndexedDB alone brings them back.
    local.items.clear();
    const reloaded = await load();
    expect(reloaded.getState()).toMatchObject({ language: 'zh', theme: 'dark', textSize: 'projector' });
  });

  it('mirrors theme, text size and language into localStorage for the first paint', async () => {
    const store = await load();
    expect(local.items.has(FIRST_PAINT_KEY)).toBe(false);
    store.getState().setTheme('light');
    expect(JSON.parse(local.items.get(FIRST_PAINT_KEY)!)).toEqual({ language: store.getState().language, theme: 'light', textSize: 'normal' });
    store.getState().setTextSize('large');
    expect(JSON.parse(local.items.get(FIRST_PAINT_KEY)!)).toMatchObject({ theme: 'light', textSize: 'large' });
  });

  it('starts from the first-paint copy, then takes what IndexedDB says and corrects the copy', async () => {
    await writeRecord('settings', SETTINGS_RECORD, { state: { language: 'zh', theme: 'dark', textSize: 'large' }, version: 1 });
    local.setItem(FIRST_PAINT_KEY, JSON.stringify({ language: 'en', theme: 'light', textSize: 'normal' }));
    const store = createSettingsStore();
    expect(store.getState()).toMatchObject({ language: 'en', theme: 'light', textSize: 'normal' });
    await hydrated(store);
    expect(store.getState()).toMatchObject({ language: 'zh', theme: 'dark', textSize: 'large' });
    expect(JSON.parse(local.items.get(FIRST_PAINT_KEY)!)).toEqual({ language: 'zh', theme: 'dark', textSize: 'large' });
  });

  it('keeps the first-paint copy when IndexedDB has nothing (e.g. it could not be written)', async () => {
    local.setItem(FIRST_PAINT_KEY, JSON.stringify({ language: 'zh', theme: 'dark', textSize: 'projector' }));
    const store = await load();
    expect(store.getState()).toMatchObject({ language: 'zh', theme: 'dark', textSize: 'projector' });
  });

  it('drops saved values it does not know, keeping the others', async () => {
    await writeRecord('settings', SETTINGS_RECORD, { state: { language: 'fr', theme: 'dark', textSize: 'huge' }, version: 1 });
    local.setItem(FIRST_PAINT_KEY, '{not json');
    vi.stubGlobal('navigator', { languages: ['en-US'] });
    const store = await load();
    expect(store.getState()).toMatchObject({ language: 'en', theme: 'dark', textSize: 'normal' });
    expect(validSettings(null)).toEqual({});
    expect(validSettings({ theme: 'system', extra: 1 })).toEqual({ theme: 'system' });
  });

  it('works without localStorage (Node, blocked storage)', async () => {
    vi.stubGlobal('localStorage', undefined);
    expect(initialSettings()).toMatchObject({ theme: 'system', textSize: 'normal' });
    const store = await load();
    store.getState().setTheme('dark');
    await vi.waitFor(async () => expect(await savedRecord()).toMatchObject({ theme: 'dark' }));
  });

  it("resolves 'system' with the operating system's preference", () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('light', true)).toBe('light');
    expect(resolveTheme('dark', false)).toBe('dark');
  });
});
