import { readConfig } from '../config.js';
import type { StoredPart } from '../collab/report-store.js';
import { openTarget } from '../db/database.js';
import { checkReport, RecoveryRefusedError, restoreSnapshot, skipUnreadable, type ReportCheck, type RestorePlan, type SkipPlan } from './report-recovery.js';

/**
 * `npm run report-admin -- <command>`: the operator's way back for a report whose stored data
 * cannot be read. Works on the server's SQLite file (DATA_DIR, as the server reads it), also while
 * the server runs; the server opens the report again at its next connection.
 */
const USAGE = `usage: npm run report-admin -- <command>
  check <reportId>              replay the report as the server opens it; name the first part that cannot be read
  skip <reportId> <seq>         leave out that part: an update with the later updates that build on it, or a snapshot
  restore-snapshot <reportId>   go back to the last snapshot that reads, leaving out every update after it
Skipped rows stay in the log (the audit trail); they are only left out of every replay.`;

const describePart = (part: StoredPart) => `${part.kind} ${part.seq}`;
const counted = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** "3, 5–9, 12": seqs as ranges, cut short past a dozen ranges. */
function describeSeqs(seqs: readonly number[]): string {
  const ranges: string[] = [];
  for (let i = 0; i < seqs.length; ) {
    let j = i;
    while (j + 1 < seqs.length && seqs[j + 1] === seqs[j]! + 1) j++;
    ranges.push(i === j ? `${seqs[i]}` : `${seqs[i]}–${seqs[j]}`);
    i = j + 1;
  }
  return ranges.length > 12 ? `${ranges.slice(0, 12).join(', ')}, …` : ranges.join(', ');
}

function describeSkip({ part, dependents }: SkipPlan): string {
  if (part.kind === 'snapshot') return `snapshot ${part.seq}; the report is rebuilt from an earlier snapshot or the start of the log (the log holds every update: nothing is lost)`;
  if (dependents.length === 0) return `update ${part.seq}`;
  return `update ${part.seq} and ${counted(dependents.length, 'later update')} that build on it (${describeSeqs(dependents)})`;
}

function describeRestore({ snapshotSeq, updates }: RestorePlan): string {
  return `back to the snapshot at seq ${snapshotSeq}, leaving out ${counted(updates.length, 'update')} after it (${describeSeqs(updates)})`;
}

function describeCheck(check: ReportCheck): string {
  const from = check.snapshotSeq === null ? 'the start of the log' : `the snapshot at seq ${check.snapshotSeq}`;
  const lines = [
    `report ${check.reportId} (${check.title})`,
    `  rebuilt from ${from} and ${counted(check.updates, 'update')} after it; last seq ${check.lastSeq}; ${counted(check.skippedRows, 'row')} left out so far`,
  ];
  if (!check.problem) {
    lines.push('  可以打开（the report reads）');
    return lines.join('\n');
  }
  const { part, cause, skip, restore } = check.problem;
  lines.push(`  无法读取（UNREADABLE）: ${describePart(part)}: ${cause}`, '  to recover, either:');
  lines.push(`    npm run report-admin -- skip ${check.reportId} ${part.seq}`, `      leaves out ${describeSkip(skip)}`);
  if (restore) lines.push(`    npm run report-admin -- restore-snapshot ${check.reportId}`, `      goes ${describeRestore(restore)}`);
  return lines.join('\n');
}

const PICKED_UP = 'a running server opens the report again at its next connection (no restart)';

/**
 * Runs one command: what to print, where, and the exit code — 0 done (or the report reads),
 * 1 the report does not read or the command was refused, 2 not a command.
 */
async function run(args: readonly string[]): Promise<{ code: number; output: string; refused?: true }> {
  const [command, reportId, seqArgument] = args;
  const seq = Number(seqArgument);
  const known =
    (command === 'check' && args.length === 2) ||
    (command === 'restore-snapshot' && args.length === 2) ||
    (command === 'skip' && args.length === 3 && Number.isInteger(seq) && seq > 0);
  if (!known || !reportId) return { code: 2, output: USAGE, refused: true };

  const config = readConfig();
  const database = await openTarget(config.database);
  try {
    if (command === 'check') {
      const check = await checkReport(database.db, reportId);
      return { code: check.problem ? 1 : 0, output: describeCheck(check) };
    }
    if (command === 'skip') {
      const { skipped, after } = await skipUnreadable(database.db, reportId, seq, Date.now());
      return { code: 0, output: `left out ${describeSkip(skipped)}\n${describeCheck(after)}\n${PICKED_UP}` };
    }
    const { restored, after } = await restoreSnapshot(database.db, reportId, Date.now());
    return { code: 0, output: `went ${describeRestore(restored)}\n${describeCheck(after)}\n${PICKED_UP}` };
  } catch (error) {
    if (error instanceof RecoveryRefusedError) return { code: 1, output: `refused: ${error.message}`, refused: true };
    throw error;
  } finally {
    await database.close();
  }
}

const { code, output, refused } = await run(process.argv.slice(2));
(refused ? console.error : console.log)(output);
process.exitCode = code;
