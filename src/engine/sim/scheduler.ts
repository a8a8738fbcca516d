// A discrete-event scheduler on virtual time: events run in (time, insertion) order, so a world
// with the same seed and inputs always runs the same way. An event is data (what to do, to whom),
// not a closure: its owner (the world) runs it, and a world can be copied with its pending events.

export interface ScheduledEvent<E> {
  at: number;
  seq: number;
  event: E;
  cancelled: boolean;
}

export interface TimerHandle { cancel(): void }

export class Scheduler<E> {
  private heap: ScheduledEvent<E>[] = [];
  private seq = 0;

  get pending(): number { return this.heap.length; }

  /** Time of the earliest pending event, or Infinity. */
  get nextAt(): number { return this.heap.length ? this.heap[0].at : Infinity; }

  schedule(at: number, event: E): TimerHandle {
    const ev: ScheduledEvent<E> = { at, seq: this.seq++, event, cancelled: false };
    this.heap.push(ev);
    this.siftUp(this.heap.length - 1);
    return { cancel: () => { ev.cancelled = true; } };
  }

  /** Removes and returns the earliest event if it is due at or before `until`. */
  popDue(until: number): ScheduledEvent<E> | null {
    while (this.heap.length && this.heap[0].cancelled) this.pop();
    if (!this.heap.length || this.heap[0].at > until) return null;
    return this.pop();
  }

  private pop(): ScheduledEvent<E> {
    const top = this.heap[0];
    const last = this.heap.pop()!;
    if (this.heap.length) {
      this.heap[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  private less(a: ScheduledEvent<E>, b: ScheduledEvent<E>): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private siftUp(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(h[i], h[parent])) break;
      [h[i], h[parent]] = [h[parent], h[i]];
      i = parent;
    }
  }

  private siftDown(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < h.length && this.less(h[l], h[m])) m = l;
      if (r < h.length && this.less(h[r], h[m])) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m], h[i]];
      i = m;
    }
  }
}
