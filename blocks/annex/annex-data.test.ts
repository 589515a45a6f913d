import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { blankTable, cellValue, parseAnnexTables, readAnnexTables, type AnnexTables } from './annex-data.js';
import { cellsOfTable } from './definition.js';
import { findFormat } from './formats/index.js';

const format2021 = findFormat('gov-disclosure-2021')!;
const format2019 = findFormat('gov-disclosure-2019')!;
const legacy = findFormat('gov-disclosure-legacy')!;
const tableOf = (format: typeof format2021, id: string) => format.tables.find((table) => table.id === id)!;

function refused(input: unknown, format = format2021): string {
  const parsed = parseAnnexTables(input, format);
  if (parsed.ok) throw new Error(`expected ${JSON.stringify(input)} to be refused`);
  return parsed.error;
}

function accepted(input: unknown, format = format2021): AnnexTables {
  const parsed = parseAnnexTables(input, format);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.tables;
}

describe('annex data sent to the API', () => {
  it('refuses a table the format does not have, naming the path and the tables it does have', () => {
    expect(refused({ D: {} })).toBe('tables.D: format gov-disclosure-2021 has no table "D" (tables: A, B, C)');
  });

  it('refuses a unit copy of a table that is not kept per unit', () => {
    expect(refused({ 'A@finance': {} })).toMatch(/^tables\.A@finance: format gov-disclosure-2021 has no table "A@finance"/);
  });

  it('accepts a unit copy of table B or C', () => {
    const tables = accepted({ 'B@finance': { new: { natural: 3 } }, 'C@finance': {} });
    expect(tables['B@finance']?.new?.natural).toBe(3);
    expect(Object.keys(tables['C@finance']!)).toEqual(['cases']);
  });

  it('refuses an unknown row, and a heading row that holds no numbers', () => {
    expect(refused({ B: { unknown: { total: 1 } } })).toBe('tables.B.unknown: table B has no row "unknown" with cells');
    expect(refused({ B: { results: { total: 1 } } })).toBe('tables.B.results: table B has no row "results" with cells');
    expect(refused({ B: { denied: { total: 1 } } })).toBe('tables.B.denied: table B has no row "denied" with cells');
  });

  it('refuses a column the row does not have, listing the ones it has', () => {
    expect(refused({ B: { new: { organisations: 4 } } })).toBe(
      'tables.B.new.organisations: row "new" has no column "organisations" (columns: natural, business, research, nonprofit, legal, other, total)',
    );
    // table A's blocks have different columns: 行政许可 has no 本年制发件数
    expect(refused({ A: { licensing: { issued: 4 } } })).toBe('tables.A.licensing.issued: row "licensing" has no column "issued" (columns: decisions)');
  });

  it('refuses values that are not numbers, naming the cell and showing the value', () => {
    expect(refused({ B: { new: { total: '12' } } })).toBe('tables.B.new.total must be a number or null, got "12"');
    expect(refused({ C: { cases: { 'review-total': true } } })).toBe('tables.C.cases.review-total must be a number or null, got true');
    expect(refused({ C: { cases: { 'review-total': {} } } })).toBe('tables.C.cases.review-total must be a number or null, got {}');
    expect(refused({ A: { charges: { fees: Number.NaN } } })).toMatch(/^tables\.A\.charges\.fees must be a number or null/);
    expect(refused({ A: { charges: { fees: Number.POSITIVE_INFINITY } } })).toMatch(/^tables\.A\.charges\.fees must be a number or null/);
  });

  it('refuses shapes that are not objects at each level', () => {
    expect(refused([])).toBe('tables must be an object of tables');
    expect(refused(null)).toBe('tables must be an object of tables');
    expect(refused({ B: [] })).toBe('tables.B must be an object of rows');
    expect(refused({ B: { new: 5 } })).toBe('tables.B.new must be an object of columns');
  });

  it('names the path from where the caller says the tables are', () => {
    const parsed = parseAnnexTables({ B: { new: { total: 'x' } } }, format2021, 'body.previous');
    expect(parsed).toEqual({ ok: false, error: 'body.previous.B.new.total must be a number or null, got "x"' });
  });

  it('fills every cell left out with null (not filled), never 0', () => {
    const tables = accepted({ B: { new: { natural: 3525, total: 3525 } } });
    const table = tableOf(format2021, 'B');
    const cells = cellsOfTable(table);
    expect(cells).toHaveLength(175);
    for (const cell of cells) {
      const expected = cell.row === 'new' && (cell.column === 'natural' || cell.column === 'total') ? 3525 : null;
      expect(cellValue(tables, cell)).toBe(expected);
    }
    // heading rows are not given cells at all
    expect(tables.B).not.toHaveProperty('results');
    expect(tables.B).not.toHaveProperty('other-handling');
  });

  it('keeps an explicit null and an explicit 0 apart', () => {
    const tables = accepted({ C: { cases: { 'review-total': 0, 'direct-total': null } } });
    expect(tables.C?.cases?.['review-total']).toBe(0);
    expect(tables.C?.cases?.['direct-total']).toBeNull();
  });

  it('passes wrong numbers (negative, fractions of a count) through for the rules to report', () => {
    const tables = accepted({ B: { new: { natural: -1, total: 2.5 } } });
    expect(tables.B?.new?.natural).toBe(-1);
    expect(tables.B?.new?.total).toBe(2.5);
  });

  it('reads a table by the layout of its format: 2019 has a single （六）其他处理 row', () => {
    expect(accepted({ B: { 'other-handling': { total: 2 } } }, format2019).B?.['other-handling']?.total).toBe(2);
    expect(refused({ B: { 'other-handling': { total: 2 } } }, format2021)).toBe('tables.B.other-handling: table B has no row "other-handling" with cells');
    expect(refused({ B: { 'other-unpaid': { total: 2 } } }, format2019)).toBe('tables.B.other-unpaid: table B has no row "other-unpaid" with cells');
  });

  it('reads the pre-2019 附表 with its single 数量 column', () => {
    const tables = accepted({ B: { received: { count: 28 } } }, legacy);
    expect(tables.B?.received).toEqual({ count: 28 });
    expect(tables.B?.['in-person']).toEqual({ count: null });
  });

  it('a blank table has every cell, all not filled', () => {
    const table = tableOf(format2021, 'A');
    const blank = blankTable(table);
    expect(blank).toEqual({
      regulations: { issued: null, repealed: null, current: null },
      normative: { issued: null, repealed: null, current: null },
      licensing: { decisions: null },
      penalty: { decisions: null },
      enforcement: { decisions: null },
      charges: { fees: null },
    });
  });
});

describe('annex data in the shared document', () => {
  function docWith(tables: Record<string, Record<string, unknown>>): Y.Doc {
    const doc = new Y.Doc();
    const annex = doc.getMap<unknown>('annex');
    doc.transact(() => {
      for (const [tableId, cells] of Object.entries(tables)) {
        const map = new Y.Map<unknown>();
        annex.set(tableId, map);
        for (const [key, value] of Object.entries(cells)) map.set(key, value);
      }
    });
    return doc;
  }

  it('reads each table map of "row:col" keys into rows and columns', () => {
    const doc = docWith({ B: { 'new:natural': 3525, 'new:total': 3525, 'carried:total': 121 }, C: { 'cases:review-total': 170 } });
    const tables = readAnnexTables(doc, format2021);
    expect(Object.keys(tables).sort()).toEqual(['B', 'C']);
    expect(tables.B?.new?.natural).toBe(3525);
    expect(tables.B?.new?.business).toBeNull();
    expect(tables.B?.carried?.total).toBe(121);
    expect(tables.C?.cases).toEqual({
      'review-upheld': null,
      'review-corrected': null,
      'review-other': null,
      'review-pending': null,
      'review-total': 170,
      'direct-upheld': null,
      'direct-corrected': null,
      'direct-other': null,
      'direct-pending': null,
      'direct-total': null,
      'after-review-upheld': null,
      'after-review-corrected': null,
      'after-review-other': null,
      'after-review-pending': null,
      'after-review-total': null,
    });
  });

  it('reads a table with nothing stored yet as all blank', () => {
    const tables = readAnnexTables(docWith({ A: {} }), format2021);
    expect(tables.A).toEqual(blankTable(tableOf(format2021, 'A')));
  });

  it('reads units’ copies of tables in a district roll-up', () => {
    const tables = readAnnexTables(docWith({ 'B@finance': { 'forward:total': 4 } }), format2021);
    expect(tables['B@finance']?.forward?.total).toBe(4);
  });

  it('ignores stray tables and keys, and anything stored that is not a finite number', () => {
    const doc = docWith({
      B: { 'new:total': '12', 'carried:total': Number.NaN, 'forward:total': null, 'total:total': 0, 'nonsense:total': 5, 'new:bogus': 9 },
      Z: { 'new:total': 1 },
      'A@finance': { 'licensing:decisions': 1 },
    });
    doc.getMap<unknown>('annex').set('C', 17);
    const tables = readAnnexTables(doc, format2021);
    expect(Object.keys(tables)).toEqual(['B']);
    expect(tables.B?.new?.total).toBeNull();
    expect(tables.B?.carried?.total).toBeNull();
    expect(tables.B?.forward?.total).toBeNull();
    expect(tables.B?.total?.total).toBe(0);
    expect(tables.B).not.toHaveProperty('nonsense');
    expect(tables.B?.new).not.toHaveProperty('bogus');
  });

  it('sees edits made by another client once they arrive', () => {
    const writer = docWith({ B: {} });
    const reader = new Y.Doc();
    Y.applyUpdate(reader, Y.encodeStateAsUpdate(writer));
    expect(readAnnexTables(reader, format2021).B?.new?.total).toBeNull();
    const before = Y.encodeStateVector(reader);
    (writer.getMap<unknown>('annex').get('B') as Y.Map<unknown>).set('new:total', 42);
    Y.applyUpdate(reader, Y.encodeStateAsUpdate(writer, before));
    expect(readAnnexTables(reader, format2021).B?.new?.total).toBe(42);
  });
});
