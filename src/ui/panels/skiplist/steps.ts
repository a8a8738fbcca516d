// Which Redis function an operation is, which step list explains it, and where the highlight ends
// (the step the operation's outcome belongs to). The texts are in messages/skiplist.ts under
// skiplist.steps.<list>.s1, s2 ...
import type { ZslStep } from '../../../engine/trace/skiplistTrace.ts';
import type { SkiplistOp } from './watcher.ts';

export type StepList = 'insert' | 'delete' | 'update' | 'rank' | 'byRank' | 'range' | 'rangeDelete' | 'convert' | 'lookup';

/** How many steps each list has. */
export const STEP_COUNTS: Record<StepList, number> = {
  insert: 5, delete: 4, update: 3, rank: 4, byRank: 3, range: 4, rangeDelete: 3, convert: 4, lookup: 2,
};

export interface OpSteps {
  /** The Redis function doing the work, as t_zset.c names it. */
  fn: string;
  list: StepList;
  /** The steps the animation goes through, in order (1-based); the last one stays highlighted. */
  sequence: number[];
}

const SEARCH_FN = {
  getRank: 'zslGetRank',
  getByRank: 'zslGetElementByRank',
  firstInRange: 'zslFirstInRange',
  lastInRange: 'zslLastInRange',
  firstInLexRange: 'zslFirstInLexRange',
  lastInLexRange: 'zslLastInLexRange',
} as const;

const RANGE_DELETE_FN = {
  deleteRangeByScore: 'zslDeleteRangeByScore',
  deleteRangeByLex: 'zslDeleteRangeByLex',
  deleteRangeByRank: 'zslDeleteRangeByRank',
} as const;

function upTo(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}

export function opSteps(op: SkiplistOp): OpSteps {
  switch (op.type) {
    case 'insert':
      return op.event.cause === 'updateScore'
        ? { fn: 'zslUpdateScore', list: 'update', sequence: [1, 3] }
        : { fn: 'zslInsert', list: 'insert', sequence: upTo(5) };
    case 'delete': {
      const cause = op.event.cause;
      if (cause === 'delete') return { fn: 'zslDelete', list: 'delete', sequence: upTo(4) };
      if (cause === 'updateScore') return { fn: 'zslUpdateScore', list: 'update', sequence: [1, 3] };
      return { fn: RANGE_DELETE_FN[cause], list: 'rangeDelete', sequence: upTo(3) };
    }
    case 'updateInPlace':
      return { fn: 'zslUpdateScore', list: 'update', sequence: [1, 2] };
    case 'search': {
      const s = op.event.op;
      if (s === 'getRank') return { fn: SEARCH_FN[s], list: 'rank', sequence: upTo(4) };
      if (s === 'getByRank') return { fn: SEARCH_FN[s], list: 'byRank', sequence: upTo(3) };
      return { fn: SEARCH_FN[s], list: 'range', sequence: upTo(4) };
    }
    case 'lookup':
      return { fn: 'dictFind', list: 'lookup', sequence: upTo(2) };
  }
}

/** The spans a path added up (each move right along a level), e.g. [4, 2, 1] for rank 7. */
export function spanSums(path: readonly ZslStep[]): number[] {
  const spans: number[] = [];
  for (let k = 1; k < path.length; k++) {
    if (path[k].level === path[k - 1].level && path[k].rank !== path[k - 1].rank) spans.push(path[k].rank - path[k - 1].rank);
  }
  return spans;
}
