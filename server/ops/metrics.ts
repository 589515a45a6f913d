import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RoomObserver } from '../collab/room-hooks.js';

/** Sources read at each scrape: what is open now, and what waits to be delivered. */
export interface MetricSources {
  openRooms(): number;
  openSockets(): number;
  webhookBacklog(): Promise<number>;
}

/** How often event-loop lag is sampled (see the constructor). */
const EVENT_LOOP_SAMPLE_MS = 50;

/**
 * What an operator watches, in Prometheus's text format at `/metrics`: the process (CPU, memory,
 * event-loop lag), open reports and sockets, updates accepted and refused by reason, how long the
 * log's append and the report queue take, compactions, publications, logins and the webhook backlog.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly updatesAccepted = new Counter({ name: 'report_updates_accepted_total', help: 'Document updates judged, logged and delivered', registers: [this.registry] });
  private readonly socketsClosed = new Counter({
    name: 'report_sockets_closed_total',
    help: 'Collaboration sockets the server closed, by close code (4403 refused edit, 4400 malformed, 4401 session ended, 4429 quota, 4500 server trouble)',
    labelNames: ['code'],
    registers: [this.registry],
  });
  private readonly appendSeconds = new Histogram({
    name: 'report_log_append_seconds',
    help: 'Time to append one update to the log, before anyone receives it',
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5, 2],
    registers: [this.registry],
  });
  private readonly queueWaitSeconds = new Histogram({
    name: 'report_queue_wait_seconds',
    help: "Time a message waited in its report's queue before it was handled",
    buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 2],
    registers: [this.registry],
  });
  private readonly compactions = new Counter({ name: 'report_compactions_total', help: 'Snapshots written by compaction', registers: [this.registry] });
  private readonly loads = new Histogram({ name: 'report_load_seconds', help: 'Time to load a report into a room', buckets: [0.005, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 5], registers: [this.registry] });
  readonly publications = new Counter({ name: 'report_publications_total', help: 'Versions published to the portal', registers: [this.registry] });
  readonly logins = new Counter({ name: 'report_logins_total', help: 'Login attempts by result', labelNames: ['result'], registers: [this.registry] });

  constructor(sources: MetricSources) {
    // Event-loop lag is sampled every 50 ms, not prom-client's 10: each sample wakes the loop, and
    // 100 wakes a second were most of an idle server's CPU (2 ms/s against 0.4) and about a tenth
    // of its CPU per keystroke at ten clients (130 µs per delivery against 118). A stall long
    // enough to hold typing up (50 ms and more) is still always seen; shorter ones are seen in
    // proportion to their length.
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
    // Read at each scrape: what is open now, and what waits to be delivered.
    new Gauge({
      name: 'report_rooms_open',
      help: 'Reports loaded for editing',
      registers: [this.registry],
      collect() {
        this.set(sources.openRooms());
      },
    });
    new Gauge({
      name: 'report_sockets_open',
      help: 'Open collaboration sockets',
      registers: [this.registry],
      collect() {
        this.set(sources.openSockets());
      },
    });
    new Gauge({
      name: 'report_webhook_backlog',
      help: 'Publications waiting to be delivered to the external portal',
      registers: [this.registry],
      async collect() {
        this.set(await sources.webhookBacklog());
      },
    });
  }

  /** What every room reports, counted. */
  readonly roomObserver: RoomObserver = {
    committed: ({ appendMs }) => {
      this.updatesAccepted.inc();
      this.appendSeconds.observe(appendMs / 1000);
    },
    queueWaited: ({ ms }) => this.queueWaitSeconds.observe(ms / 1000),
    expelled: ({ code }) => this.socketsClosed.inc({ code: String(code) }),
    compacted: () => this.compactions.inc(),
    loaded: ({ ms }) => this.loads.observe(ms / 1000),
  };
}
