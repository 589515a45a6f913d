import { describe, expect, it } from 'vitest';
import { blankTable } from '../../blocks/annex/annex-data.js';
import { findFormat, findTable } from '../../blocks/annex/formats/index.js';
import { annexCsv } from './annex-export.js';
import { compareReports, type ReportSnapshot } from './report-changes.js';

const format = findFormat('gov-disclosure-2021')!;
const tableB = findTable(format, 'B')!;

function snapshot(sections: Array<[string, string, string[]]>, newTotal: number | null, grantedTotal: number | null = null): ReportSnapshot {
  const B = blankTable(tableB);
  B.new!.total = newTotal;
  B.granted!.total = grantedTotal;
  return { format, sections: sections.map(([id, title, blocks]) => ({ id, title, blocks })), tables: { B } };
}

const VERSION = { kind: 'version', version: 1, publishedAt: 0 } as const;
const YEAR = { kind: 'year', year: 2024, title: '2024年报告' } as const;

describe('what changed since the last version', () => {
  it('names only the sections whose text changed, with what was added and removed', () => {
    const before = snapshot([['overview', '一、总体情况', ['本年度共收到申请125件。']], ['proactive', '二、主动公开', ['略']]], 125);
    const after = snapshot([['overview', '一、总体情况', ['本年度共收到申请128件。']], ['proactive', '二、主动公开', ['略']]], 125);
    const changes = compareReports(before, after, VERSION);
    expect(changes.unchangedSections).toBe(1);
    expect(changes.sections).toEqual([
      expect.objectContaining({ id: 'overview', status: 'changed', added: 3, removed: 3 }),
    ]);
    expect(changes.sections[0]!.parts.filter((part) => part.kind !== 'same')).toEqual([
      { kind: 'removed', text: '125' },
      { kind: 'added', text: '128' },
    ]);
  });

  it('lists sections added and removed, and a renamed section as changed', () => {
    const before = snapshot([['a', '一、总体情况', ['甲']], ['gone', '七、其他', ['乙丙']]], null);
    const after = snapshot([['a', '一、总体情况（更新）', ['甲']], ['new', '六、改进', ['丁']]], null);
    const changes = compareReports(before, after, VERSION);
    expect(changes.sections.map((s) => [s.id, s.status, s.added, s.removed])).toEqual([
      ['a', 'changed', 0, 0],
      ['new', 'added', 1, 0],
      ['gone', 'removed', 0, 2],
    ]);
  });

  it('lists every annex cell whose number changed, by its national label', () => {
    const changes = compareReports(snapshot([], 125, 90), snapshot([], 128, 91), VERSION);
    expect(changes.cells).toEqual([
      { table: 'B', label: '附表B 「一、本年新收政府信息公开申请数量」「总计」', before: 125, after: 128 },
      { table: 'B', label: '附表B 「（一）予以公开」「总计」', before: 90, after: 91 },
    ]);
  });
});

describe('what changed since last year', () => {
  it("matches sections by title when last year's ids differ, and compares only the top-level rows", () => {
    const lastYear = snapshot([['old-id', '一、总体情况', ['去年']]], 100, 60);
    const thisYear = snapshot([['overview', '一、总体情况', ['今年']]], 128, 96);
    const changes = compareReports(lastYear, thisYear, YEAR);
    expect(changes.sections).toEqual([expect.objectContaining({ id: 'overview', status: 'changed' })]);
    // （一）予以公开 is a sub-row: year on year, only the top-level totals are listed.
    expect(changes.cells.map((cell) => [cell.before, cell.after])).toEqual([[100, 128]]);
  });
});

describe('the annex as CSV', () => {
  it('starts with a byte-order mark and a Chinese header, quotes labels with commas, and leaves blank cells empty', () => {
    const B = blankTable(tableB);
    B.new!.total = 128;
    const csv = annexCsv(format, { B });
    expect(csv.startsWith('\uFEFF附表,表名,行,行标签,列,列分组,列标签,数值\r\n')).toBe(true);
    const lines = csv.split('\r\n');
    expect(lines).toContain('B,收到和处理政府信息公开申请情况,new,一、本年新收政府信息公开申请数量,total,,总计,128');
    expect(lines).toContain('B,收到和处理政府信息公开申请情况,new,一、本年新收政府信息公开申请数量,natural,,自然人,');
    expect(lines.filter((line) => line.startsWith('B,'))).toHaveLength(175);
  });
});
