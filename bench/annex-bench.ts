import { readAnnexTables, type AnnexTables } from '../blocks/annex/annex-data.js';
import { unitTableId } from '../blocks/annex/definition.js';
import { findFormat } from '../blocks/annex/formats/index.js';
import { readReport } from '../blocks/annex/report-reading.js';
import { validateAnnex, validateReport } from '../blocks/annex/validate.js';
import { readBodyJSON } from '../blocks/report-json.js';
import type { ReportStore } from '../server/collab/report-store.js';

type Record = (figure: string, value: string, target?: string) => void;
type Summarise = (samples: number[]) => { p50: number; p99: number; max: number };

const ROUNDS = 2_000;

function time(rounds: number, run: (round: number) => void): number[] {
  const samples: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    run(round);
    samples.push(performance.now() - start);
  }
  return samples;
}

const micro = (ms: number) => `${(ms * 1000).toFixed(0)} µs`;

/** Copies of the district's B and C for `count` units, consistent, and the district table as their sum. */
function rollUp(district: AnnexTables, count: number): { tables: AnnexTables; units: Array<{ id: string; name: string }> } {
  const tables: AnnexTables = structuredClone(district);
  const units = Array.from({ length: count }, (_, i) => ({ id: `u${i + 1}`, name: `第${i + 1}单位` }));
  for (const base of ['B', 'C']) {
    const sum = structuredClone(district[base]!);
    for (const row of Object.values(sum)) for (const column of Object.keys(row)) row[column] = 0;
    for (const unit of units) {
      const copy = structuredClone(district[base]!);
      tables[unitTableId(base, unit.id)] = copy;
      for (const [rowId, row] of Object.entries(copy)) for (const [column, value] of Object.entries(row)) sum[rowId]![column]! += value ?? 0;
    }
    tables[base] = sum;
  }
  return { tables, units };
}

/**
 * The rules' cost per keystroke, as the browser pays it: after a cell changes (numbers only, the
 * body's JSON cached) and after a keystroke in the text (the body read again), and for a district
 * roll-up of 30 units.
 */
export async function benchAnnex(store: ReportStore, reportId: string, previousReportId: string, record: Record, summarise: Summarise): Promise<void> {
  const { doc } = await store.load(reportId);
  const format = findFormat('gov-disclosure-2021')!;
  const tables = readAnnexTables(doc, format);
  const { doc: previousDoc } = await store.load(previousReportId);
  const previous = readAnnexTables(previousDoc, format);
  const body = readBodyJSON(doc);
  const cells = tables.B!.new!;

  const numbersOnly = summarise(time(ROUNDS, (round) => {
    cells.natural = 96 + (round % 2);
    validateAnnex({ format, tables, previous });
  }));
  record('validation per cell keystroke: tables A, B, C + cross-year (p50 / p99)', `${micro(numbersOnly.p50)} / ${micro(numbersOnly.p99)}`, 'target < 1 ms');

  const whole = summarise(time(ROUNDS, (round) => {
    cells.natural = 96 + (round % 2);
    validateReport({ format, year: 2025, tables, previous, reading: readReport(body, format, tables) });
  }));
  record('whole-report validation per cell keystroke, text incl. (p50 / p99)', `${micro(whole.p50)} / ${micro(whole.p99)}`, 'target < 1 ms');

  const typing = summarise(time(500, () => {
    validateReport({ format, year: 2025, tables, previous, reading: readReport(readBodyJSON(doc), format, tables) });
  }));
  record('whole-report validation per text keystroke, body re-read (p50 / p99)', `${micro(typing.p50)} / ${micro(typing.p99)}`);

  const district = rollUp(tables, 30);
  const unitCells = district.tables[unitTableId('B', 'u7')]!.granted!;
  const rolled = summarise(time(ROUNDS, (round) => {
    unitCells.natural = 52 + (round % 2);
    validateAnnex({ format, tables: district.tables, previous, units: district.units });
  }));
  record('district roll-up of 30 units, per unit-cell keystroke (p50 / p99)', `${micro(rolled.p50)} / ${micro(rolled.p99)}`, 'target < 5 ms');
  doc.destroy();
  previousDoc.destroy();
}
