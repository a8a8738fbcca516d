// The latency monitor (latency.c): per event class ("command", "fast-command" ...), the worst
// latency of each second, kept for the last LATENCY_TS_LEN seconds that had one, once an event
// took at least latency-monitor-threshold milliseconds. The engine's command latencies are the
// modelled durations (cost.ts), so a command is only "slow" when it did a lot of work (or slept).
import { formatFixed } from './info.ts';
import type { RedisServer } from './redisServer.ts';

/** LATENCY_TS_LEN: samples kept per event. */
export const LATENCY_TS_LEN = 160;
/** LATENCY_GRAPH_COLS */
const LATENCY_GRAPH_COLS = 80;

interface LatencySample {
  /** Unix time in seconds; 0 = an empty slot. */
  time: number;
  /** Milliseconds. */
  latency: number;
}

/** latencyTimeSeries: a ring of samples and the all-time maximum. */
export class LatencyTimeSeries {
  idx = 0;
  max = 0;
  readonly samples: LatencySample[] = Array.from({ length: LATENCY_TS_LEN }, () => ({ time: 0, latency: 0 }));

  /** The samples in time order (oldest first), skipping empty slots. */
  *ordered(): Generator<LatencySample> {
    for (let j = 0; j < LATENCY_TS_LEN; j++) {
      const s = this.samples[(this.idx + j) % LATENCY_TS_LEN];
      if (s.time !== 0) yield s;
    }
  }

  get latest(): LatencySample {
    return this.samples[(this.idx + LATENCY_TS_LEN - 1) % LATENCY_TS_LEN];
  }
}

/** latencyStats: what analyzeLatencyForEvent derives from a series. */
interface LatencyStats {
  avg: number;
  mad: number;
  samples: number;
  period: number;
}

/**
 * A command's latency histogram (LATENCY HISTOGRAM), as the parts of Redis's hdr_histogram that the
 * reply shows. Redis records nanoseconds with 2 significant digits and reports cumulative counts at
 * 1024 ns, 2048 ns, 4096 ns ...: a value counts from the first such level its quantized value does
 * not exceed. So it is enough to count values per level.
 */
export class CommandHistogram {
  calls = 0;
  /** Values first counted at level 1024 * 2^k, by k. */
  readonly counts: number[] = [];

  /** updateCommandLatencyHistogram with a duration in microseconds. */
  record(us: number): void {
    const ns = Math.min(Math.max(us * 1000, LATENCY_HISTOGRAM_MIN_NS), LATENCY_HISTOGRAM_MAX_NS);
    const level = Math.max(0, Math.ceil(Math.log2(lowestEquivalentNs(ns) / HISTOGRAM_FIRST_LEVEL_NS)));
    this.counts[level] = (this.counts[level] ?? 0) + 1;
    this.calls++;
  }

  /** [microseconds, cumulative count] for each level where the count grew (fillCommandCDF). */
  cdf(): [number, number][] {
    const out: [number, number][] = [];
    let cumulative = 0;
    for (let k = 0; k < this.counts.length; k++) {
      if (!this.counts[k]) continue;
      cumulative += this.counts[k];
      const level = HISTOGRAM_FIRST_LEVEL_NS * 2 ** k;
      out.push([Math.floor((level + subBucketRange(level) - 1) / 1000), cumulative]);
    }
    return out;
  }
}

/** LATENCY_HISTOGRAM_MIN_VALUE / MAX_VALUE (ns) and the log iteration's first level. */
const LATENCY_HISTOGRAM_MIN_NS = 1;
const LATENCY_HISTOGRAM_MAX_NS = 1_000_000_000;
const HISTOGRAM_FIRST_LEVEL_NS = 1024;

/** With 2 significant digits, values from 2^m up share sub-buckets 2^(m-7) wide (m >= 8). */
function subBucketRange(ns: number): number {
  return ns < 256 ? 1 : 2 ** (Math.floor(Math.log2(ns)) - 7);
}

function lowestEquivalentNs(ns: number): number {
  const range = subBucketRange(ns);
  return Math.floor(ns / range) * range;
}

export class LatencyMonitor {
  /** Series by event name; a Map keeps them in creation order (Redis's dict order is a hash's). */
  readonly events = new Map<string, LatencyTimeSeries>();
  /** Per command (full name) latency histograms, while latency-tracking is on. */
  readonly histograms = new Map<string, CommandHistogram>();

  constructor(private readonly server: RedisServer) {}

  private get threshold(): number {
    return this.server.config.num('latency-monitor-threshold');
  }

  private nowSeconds(): number {
    return Math.floor(this.server.clock.now() / 1000);
  }

  /** latencyAddSampleIfNeeded: records `ms` when monitoring is on and it reaches the threshold. */
  addSampleIfNeeded(event: string, ms: number): void {
    const threshold = this.threshold;
    if (threshold && ms >= threshold) this.addSample(event, ms);
  }

  /** call()'s updateCommandLatencyHistogram, when latency-tracking is on. */
  recordCommand(fullName: string, us: number): void {
    if (!this.server.config.bool('latency-tracking')) return;
    let h = this.histograms.get(fullName);
    if (!h) this.histograms.set(fullName, (h = new CommandHistogram()));
    h.record(us);
  }

  /** latencyAddSample: one sample per second per event, the worst one of that second. */
  addSample(event: string, ms: number): void {
    let ts = this.events.get(event);
    if (!ts) this.events.set(event, (ts = new LatencyTimeSeries()));
    const now = this.nowSeconds();
    if (ms > ts.max) ts.max = ms;
    const prev = ts.latest;
    if (prev.time === now) {
      if (ms > prev.latency) prev.latency = ms;
      return;
    }
    ts.samples[ts.idx] = { time: now, latency: ms };
    ts.idx = (ts.idx + 1) % LATENCY_TS_LEN;
  }

  /** latencyResetEvent: forgets one event (case-insensitive), or all with null; returns how many. */
  reset(event: string | null): number {
    let resets = 0;
    for (const name of [...this.events.keys()]) {
      if (event === null || name.toLowerCase() === event.toLowerCase()) {
        this.events.delete(name);
        resets++;
      }
    }
    return resets;
  }

  /** analyzeLatencyForEvent */
  private analyze(ts: LatencyTimeSeries): LatencyStats {
    const ls: LatencyStats = { avg: 0, mad: 0, samples: 0, period: 0 };
    let sum = 0;
    for (const s of ts.samples) {
      if (s.time === 0) continue;
      ls.samples++;
      sum += s.latency;
      if (ls.period === 0 || s.time < ls.period) ls.period = s.time;
    }
    if (ls.samples) {
      ls.avg = Math.floor(sum / ls.samples);
      ls.period = this.nowSeconds() - ls.period;
      if (ls.period === 0) ls.period = 1;
    }
    sum = 0;
    for (const s of ts.samples) {
      if (s.time !== 0) sum += Math.abs(ls.avg - s.latency);
    }
    if (ls.samples) ls.mad = Math.floor(sum / ls.samples);
    return ls;
  }

  /**
   * createLatencyReport (LATENCY DOCTOR). The engine has no fork, AOF, disk or transparent huge
   * pages, so only the command, expire and eviction events and their advice can appear.
   */
  report(): string {
    if (this.events.size === 0 && this.threshold === 0) {
      return "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. " +
        'You may use "CONFIG SET latency-monitor-threshold <milliseconds>." in order to enable it. ' +
        "If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n";
    }
    const advise = new Set<string>();
    let advices = 0;
    let report = '';
    let eventnum = 0;
    for (const [event, ts] of this.events) {
      eventnum++;
      if (eventnum === 1) {
        report += "Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n";
      }
      const ls = this.analyze(ts);
      report += `${eventnum}. ${event}: ${ls.samples} latency spikes (average ${ls.avg}ms, mean deviation ${ls.mad}ms, ` +
        `period ${formatFixed(ls.period / ls.samples, 2)} sec). Worst all time event ${ts.max}ms.`;
      const name = event.toLowerCase();
      if (name === 'command') {
        const slower = this.server.config.num('slowlog-log-slower-than');
        if (slower < 0) {
          advise.add('slowlog-enabled');
          advices++;
        } else if (Math.trunc(slower / 1000) > this.threshold) {
          advise.add('slowlog-tuning');
          advices++;
        }
        advise.add('slowlog-inspect');
        advise.add('large-objects');
        advices += 2;
      }
      if (name === 'fast-command') {
        advise.add('scheduler');
        advices++;
      }
      if (name === 'expire-cycle') {
        advise.add('hz');
        advise.add('large-objects');
        advices += 2;
      }
      if (name === 'eviction-del') {
        advise.add('large-objects');
        advices++;
      }
      if (name === 'eviction-cycle') {
        advise.add('mass-eviction');
        advices++;
      }
      report += '\n';
    }
    if (eventnum === 0 && advices === 0) {
      return report + 'Dave, no latency spike was observed during the lifetime of this Redis instance, not in the ' +
        'slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n';
    }
    if (advices === 0) {
      return report + "\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please use the " +
        'Redis community to get some help, providing this report in your help request.\n';
    }
    report += '\nI have a few advices for you:\n\n';
    const thresholdUs = this.threshold * 1000;
    if (advise.has('slowlog-enabled')) {
      report += '- There are latency issues with potentially slow commands you are using. Try to enable the Slow Log ' +
        `Redis feature using the command 'CONFIG SET slowlog-log-slower-than ${thresholdUs}'. If the Slow log is ` +
        'disabled Redis is not able to log slow commands execution for you.\n';
    }
    if (advise.has('slowlog-tuning')) {
      report += '- Your current Slow Log configuration only logs events that are slower than your configured latency ' +
        `monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than ${thresholdUs}'.\n`;
    }
    if (advise.has('slowlog-inspect')) {
      report += '- Check your Slow Log to understand what are the commands you are running which are too slow to ' +
        'execute. Please check https://redis.io/commands/slowlog for more information.\n';
    }
    if (advise.has('scheduler')) {
      report += '- The system is slow to execute Redis code paths not containing system calls. This usually means the ' +
        'system does not provide Redis CPU time to run for long periods. You should try to:\n' +
        '  1) Lower the system load.\n' +
        '  2) Use a computer / VM just for Redis if you are running other software in the same system.\n' +
        '  3) Check if you have a "noisy neighbour" problem.\n' +
        "  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your system.\n" +
        '  5) Check if the problem is allocator-related by recompiling Redis with MALLOC=libc, if you are using ' +
        'Jemalloc. However this may create fragmentation problems.\n';
    }
    if (advise.has('hz') && this.server.hz < 100) {
      report += "- In order to make the Redis keys expiring process more incremental, try to set the 'hz' " +
        "configuration parameter to 100 using 'CONFIG SET hz 100'.\n";
    }
    if (advise.has('large-objects')) {
      report += '- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking ' +
        'operation. If you have very large objects that are often deleted, expired, or evicted, try to fragment ' +
        'those objects into multiple smaller objects.\n';
    }
    if (advise.has('mass-eviction')) {
      report += "- Sudden changes to the 'maxmemory' setting via 'CONFIG SET', or allocation of large objects via " +
        'sets or sorted sets intersections, STORE option of SORT, Redis Cluster large keys migrations (RESTORE ' +
        'command), may create sudden memory pressure forcing the server to block trying to evict keys. \n';
    }
    return report;
  }

  /** latencyCommandGenSparkeline (LATENCY GRAPH): a title, a rule and a 4-row sparkline. */
  graph(event: string, ts: LatencyTimeSeries): string {
    const seq: SparklineSample[] = [];
    let min = 0, max = 0;
    const now = this.nowSeconds();
    for (const s of ts.ordered()) {
      if (seq.length === 0) {
        min = max = s.latency;
      } else {
        if (s.latency > max) max = s.latency;
        if (s.latency < min) min = s.latency;
      }
      const elapsed = now - s.time;
      const label = elapsed < 60 ? `${elapsed}s`
        : elapsed < 3600 ? `${Math.trunc(elapsed / 60)}m`
        : elapsed < 86400 ? `${Math.trunc(elapsed / 3600)}h`
        : `${Math.trunc(elapsed / 86400)}d`;
      seq.push({ value: s.latency, label });
    }
    let graph = `${event} - high ${max} ms, low ${min} ms (all time high ${ts.max} ms)\n`;
    graph += '-'.repeat(LATENCY_GRAPH_COLS) + '\n';
    return sparklineRender(graph, seq, LATENCY_GRAPH_COLS, 4);
  }
}

// --- sparkline.c, with SPARKLINE_FILL ------------------------------------------------------------

interface SparklineSample { value: number; label: string | null }

const CHARSET_FILL = '_o#';
const LABEL_MARGIN_TOP = 1;

/** sparklineRender: the sequence in blocks of `columns` samples, each `rows` high plus labels. */
function sparklineRender(output: string, seq: SparklineSample[], columns: number, rows: number): string {
  // The sequence's range, as sparklineSequenceAddSample tracks it.
  let min = 0, max = 0;
  seq.forEach((s, i) => {
    if (i === 0) min = max = s.value;
    else if (s.value < min) min = s.value;
    else if (s.value > max) max = s.value;
  });
  const labels = seq.filter((s) => s.label).length;
  for (let j = 0; j < seq.length; j += columns) {
    const len = Math.min(columns, seq.length - j);
    if (j !== 0) output += '\n';
    output += renderRange(seq.slice(j, j + len), min, max, labels, rows);
  }
  return output;
}

/** sparklineRenderRange: rows of bars (filled), then the labels written vertically. */
function renderRange(samples: SparklineSample[], min: number, max: number, labels: number, rows: number): string {
  const charsetLen = CHARSET_FILL.length;
  let relmax = max - min;
  if (relmax === 0) relmax = 1;
  const steps = charsetLen * rows;
  let out = '';
  for (let row = 0; ; row++) {
    let loop = false;
    const chars = new Array<string>(samples.length).fill(' ');
    for (let j = 0; j < samples.length; j++) {
      const s = samples[j];
      const relval = s.value - min;
      // C: (int)(relval*steps) / relmax, then truncated into an int.
      let step = Math.trunc(Math.trunc(relval * steps) / relmax);
      if (step < 0) step = 0;
      if (step >= steps) step = steps - 1;
      if (row < rows) {
        const charidx = step - (rows - row - 1) * charsetLen;
        loop = true;
        if (charidx >= 0 && charidx < charsetLen) chars[j] = CHARSET_FILL[charidx];
        else if (charidx >= charsetLen) chars[j] = '|';
      } else {
        if (labels && row - rows < LABEL_MARGIN_TOP) {
          loop = true;
          break;
        }
        if (s.label) {
          const labelChar = row - rows - LABEL_MARGIN_TOP;
          if (s.label.length > labelChar) {
            loop = true;
            chars[j] = s.label[labelChar];
          }
        }
      }
    }
    if (!loop) break;
    out += chars.join('') + '\n';
  }
  return out;
}
