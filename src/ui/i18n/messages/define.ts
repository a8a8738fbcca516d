// UI text comes in pairs: English and Chinese side by side in one module per area of the page, so a
// string is never added in one language only (the type below makes a missing translation an error).

/** The same keys as `T`, every leaf a string. */
export type SameShape<T> = { [K in keyof T]: T[K] extends string ? string : SameShape<T[K]> };

export interface Bilingual<T> { en: T; zh: SameShape<T> }

export function defineMessages<T>(en: T, zh: SameShape<T>): Bilingual<T> {
  return { en, zh };
}
