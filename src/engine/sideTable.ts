// State a module keeps about an object of a world that the object's own class does not declare (a
// client's fd, a server's shared integers, an aggregate's last memory walk ...). A WeakMap would
// keep it outside the world, where a copy of the world (sim/clone.ts: timeline checkpoints) cannot
// see it, so the copy would silently lose it. A SideTable keeps it on the object itself instead,
// in one non-enumerable symbol-keyed record per object: copying the object copies it, and nothing
// that lists or compares objects by their keys (Object.keys, JSON, test equality) sees it.
// Same interface as a WeakMap (values are never undefined).

/** The record of side-table values on an object, by table name. clone.ts copies it with the object. */
export const SIDE_TABLES: unique symbol = Symbol('side tables');

type Record_ = Record<string, unknown>;
type Holder = { [SIDE_TABLES]?: Record_ };

export class SideTable<K extends object, V> {
  /** `name` keys the object's record: one name per table (the module's own, e.g. 'clientInfo.fd'). */
  constructor(private readonly name: string) {}

  get(key: K): V | undefined {
    return (key as Holder)[SIDE_TABLES]?.[this.name] as V | undefined;
  }

  has(key: K): boolean {
    return this.get(key) !== undefined;
  }

  set(key: K, value: V): this {
    let record = (key as Holder)[SIDE_TABLES];
    if (record === undefined) {
      record = {};
      Object.defineProperty(key, SIDE_TABLES, { value: record, writable: true, configurable: true, enumerable: false });
    }
    record[this.name] = value;
    return this;
  }

  delete(key: K): boolean {
    const record = (key as Holder)[SIDE_TABLES];
    if (record === undefined || record[this.name] === undefined) return false;
    record[this.name] = undefined;
    return true;
  }
}
