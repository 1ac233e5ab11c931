/** A tiny Prometheus text-format registry: counters, gauges read on scrape, histograms. */

type Labels = Record<string, string>;

function labelText(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([key, value]) => `${key}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',')}}`;
}

export class Counter {
  private values = new Map<string, number>();
  constructor(readonly name: string, readonly help: string, initial: Labels[] = [{}]) {
    for (const labels of initial) this.values.set(labelText(labels), 0);
  }
  inc(value = 1, labels: Labels = {}): void {
    if (value === 0) return;
    const key = labelText(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + value);
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const [labels, value] of this.values) lines.push(`${this.name}${labels} ${value}`);
    return lines.join('\n');
  }
}

export class Gauge {
  constructor(readonly name: string, readonly help: string, private readonly read: () => number) {}
  render(): string {
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} gauge`, `${this.name} ${this.read()}`].join('\n');
  }
}

export class Histogram {
  private counts: number[];
  private sum = 0;
  private count = 0;
  constructor(readonly name: string, readonly help: string, private readonly buckets: number[]) {
    this.counts = buckets.map(() => 0);
  }
  observe(value: number): void {
    this.sum += value;
    this.count += 1;
    for (let i = 0; i < this.buckets.length; i += 1) if (value <= this.buckets[i]!) this.counts[i]! += 1;
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    this.buckets.forEach((bound, i) => lines.push(`${this.name}_bucket{le="${bound}"} ${this.counts[i]}`));
    lines.push(`${this.name}_bucket{le="+Inf"} ${this.count}`, `${this.name}_sum ${this.sum}`, `${this.name}_count ${this.count}`);
    return lines.join('\n');
  }
}

const DROP_REASONS = ['invalid', 'bot', 'unknown_tour'] as const;
const DEFER_REASONS = ['rate_limited', 'queue_full', 'db_unavailable', 'draining'] as const;

export interface CollectorMetrics {
  received: Counter;
  accepted: Counter;
  duplicates: Counter;
  dropped: Counter;
  deferred: Counter;
  requests: Counter;
  sessionsCreated: Counter;
  batchFailures: Counter;
  batchEvents: Histogram;
  commitSeconds: Histogram;
  render(): string;
}

export function createMetrics(gauges: { queueEvents: () => number; queueBytes: () => number; dbUp: () => number }): CollectorMetrics {
  const received = new Counter('collector_events_received_total', 'Events in well-formed beacon batches.');
  const accepted = new Counter('collector_events_accepted_total', 'Events stored (committed) for the first time.');
  const duplicates = new Counter('collector_events_duplicate_total', 'Events already stored (retries), not counted again.');
  const dropped = new Counter(
    'collector_events_dropped_total',
    'Events refused for good, by reason.',
    DROP_REASONS.map((reason) => ({ reason })),
  );
  const deferred = new Counter(
    'collector_events_deferred_total',
    'Events answered 429/503 (the client retries), by reason.',
    DEFER_REASONS.map((reason) => ({ reason })),
  );
  const requests = new Counter('collector_requests_total', 'Beacon requests by answer status.', []);
  const sessionsCreated = new Counter('collector_sessions_created_total', 'Anonymous sessions started.');
  const batchFailures = new Counter('collector_batch_failures_total', 'Write transactions that failed (and were answered 503).');
  const batchEvents = new Histogram('collector_batch_events', 'Events per write transaction.', [1, 10, 50, 100, 250, 500, 1000]);
  const commitSeconds = new Histogram(
    'collector_commit_seconds',
    'Time of one write transaction, BEGIN to COMMIT.',
    [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  );
  const named = { received, accepted, duplicates, dropped, deferred, requests, sessionsCreated, batchFailures, batchEvents, commitSeconds };
  const all = [
    ...Object.values(named),
    new Gauge('collector_queue_events', 'Events waiting for or in a write transaction.', gauges.queueEvents),
    new Gauge('collector_queue_bytes', 'Bytes of requests waiting for or in a write transaction.', gauges.queueBytes),
    new Gauge('collector_database_up', '1 when the last write or probe reached PostgreSQL.', gauges.dbUp),
  ];
  return {
    ...named,
    render: () => `${all.map((metric) => metric.render()).join('\n')}\n`,
  };
}
