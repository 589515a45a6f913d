/**
 * The guard fuzzer's longer run: the same generators and invariants as tests/guard-fuzz.test.ts,
 * many more cases. Like every benchmark it asserts nothing; it prints how many cases it tried, what
 * the server did with them (accepted, repaired, refused by close code and rule) and how long it took,
 * and — when an invariant broke — the smallest failing case fast-check found, with its seed.
 *
 *   npx tsx bench/guard-fuzz.ts [--runs N] [--seed S] [--actions A] [--kinds structs,format] [--no-shrink]
 *
 * From bench/run.ts: `benchGuardFuzz(record, { quick })`.
 */
import { pathToFileURL } from 'node:url';
import { FUZZ_ACTION_KINDS, type FuzzActionKind } from '../tests/support/guard-fuzz-actions.js';
import { prepareGuardFuzzFixture, runGuardFuzz, type GuardFuzzReport } from '../tests/support/guard-fuzzer.js';

type Record = (figure: string, value: string, target?: string) => void;

export interface GuardFuzzBenchOptions {
  /** Small sizes: a smoke run. */
  quick: boolean;
  runs?: number;
  seed?: number;
  actions?: number;
  kinds?: readonly FuzzActionKind[];
  shrink?: boolean;
}

/** Runs the fuzzer (500 runs of up to 20 actions; 20 with --quick) and records what it tried and found. */
export async function benchGuardFuzz(record: Record, options: GuardFuzzBenchOptions): Promise<GuardFuzzReport> {
  const fixture = await prepareGuardFuzzFixture();
  try {
    const report = await runGuardFuzz(fixture, {
      seed: options.seed ?? Date.now() % 2 ** 31,
      numRuns: options.runs ?? (options.quick ? 20 : 500),
      maxActions: options.actions ?? 20,
      kinds: options.kinds,
      shrink: options.shrink ?? true,
      shrinkLimitMs: 600_000,
    });
    const seconds = report.wallMs / 1000;
    record('guard fuzzer: cases tried (actions / runs)', `${report.actions} / ${report.runs}`);
    record('guard fuzzer: cases per second', `${(report.actions / seconds).toFixed(0)} (${seconds.toFixed(1)} s, seed ${report.seed})`);
    record('guard fuzzer: slowest action handled', `${report.slowest.ms.toFixed(0)} ms (${report.slowest.kind})`, '< 2000 ms');
    for (const [outcome, count] of [...report.outcomes].sort(([, a], [, b]) => b - a)) record(`guard fuzzer: ${outcome}`.slice(0, 64), String(count));
    record('guard fuzzer: invariants', report.failure ? 'BROKEN (the failing case is printed above)' : 'all held', 'all held');
    if (report.failure) console.log(report.failure);
    return report;
  } finally {
    fixture.dispose();
  }
}

function readArguments(argv: readonly string[]): GuardFuzzBenchOptions {
  const value = (name: string) => {
    const inline = argv.find((arg) => arg.startsWith(`--${name}=`));
    if (inline) return inline.slice(name.length + 3);
    const at = argv.indexOf(`--${name}`);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const number = (name: string) => {
    const text = value(name);
    if (text === undefined) return undefined;
    const parsed = Number(text);
    if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`--${name} must be a whole number, got ${text}`);
    return parsed;
  };
  const kinds = value('kinds')?.split(',');
  const unknown = kinds?.filter((kind) => !(FUZZ_ACTION_KINDS as readonly string[]).includes(kind)) ?? [];
  if (unknown.length > 0) throw new Error(`--kinds: unknown ${unknown.join(', ')}; the kinds are ${FUZZ_ACTION_KINDS.join(', ')}`);
  return { quick: argv.includes('--quick'), runs: number('runs'), seed: number('seed'), actions: number('actions'), kinds: kinds as FuzzActionKind[] | undefined, shrink: !argv.includes('--no-shrink') };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const options = readArguments(process.argv.slice(2));
  await benchGuardFuzz((figure, value, target = '') => console.log(`${figure.padEnd(64)} ${value.padEnd(36)} ${target}`), options);
}
