// localStorage for tests in Node (vi.stubGlobal('localStorage', fakeLocalStorage())): what the UI
// uses of it, over a Map the test can look into.
export function fakeLocalStorage() {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => { items.set(k, String(v)); },
    removeItem: (k: string) => { items.delete(k); },
  };
}
