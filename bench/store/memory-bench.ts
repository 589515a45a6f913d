import { bytes, count, judged, type RecordFigure, times } from './figures.js';
import { runJsonChild } from './json-child.js';
import type { MemoryResult } from './memory-child.js';
import type { ReportCopies } from './report-copies.js';

const MEMORY_TARGET_RATIO = 5;

/** Memory held per byte of encoded document: V8's heap plus what lives outside it (`external` includes ArrayBuffers). */
function heldPerEncodedByte(result: MemoryResult): number {
  return (result.heapUsed + result.external) / result.encodedBytes;
}

/**
 * Memory per open report, for each way of writing it: all copies but the first opened at once
 * through RoomRegistry in a fresh process (the first only warms the load path up).
 */
export async function benchMemory(record: RecordFigure, copies: ReportCopies): Promise<void> {
  const results = new Map<string, MemoryResult>();
  for (const key of ['history', 'typed', 'pasted'] as const) {
    const pattern = copies[key];
    const result = await runJsonChild<MemoryResult>('./memory-child.ts', [copies.file, pattern.reportIds.join(',')], ['--expose-gc']);
    results.set(key, result);
    const held = result.heapUsed + result.external;
    const ratio = held / result.encodedBytes;
    record(
      `memory per open report, ${pattern.name}`,
      judged(
        `${bytes(held)} = ${times(ratio)} its ${bytes(result.encodedBytes)}; RSS ${times(result.rss / result.encodedBytes)}; ${count(result.structs.total)} Yjs structs; a bare Y.Doc of it ${times(result.bareDoc / result.encodedBytes)}`,
        ratio < MEMORY_TARGET_RATIO,
      ),
      `< ${MEMORY_TARGET_RATIO}× encoded size (heap + external); ${result.rooms} rooms via RoomRegistry`,
    );
  }

  // Typed and pasted documents of one size differ mainly in how many structs they hold, so the
  // slope between them is what one more struct costs in memory.
  const typedResult = results.get('typed')!;
  const pastedResult = results.get('pasted')!;
  const structsPerByte = (result: MemoryResult) => result.structs.total / result.encodedBytes;
  const perStruct = (heldPerEncodedByte(typedResult) - heldPerEncodedByte(pastedResult)) / (structsPerByte(typedResult) - structsPerByte(pastedResult));
  record(
    'memory per Yjs struct (typed vs pasted)',
    `≈ ${bytes(perStruct)} per struct; a struct every ${bytes(1 / structsPerByte(typedResult))} encoded typed, every ${bytes(1 / structsPerByte(pastedResult))} pasted`,
    'no target; why the typed report needs more',
  );
}
