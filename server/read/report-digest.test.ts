import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { cellKey } from '../../blocks/annex/definition.js';
import { findFormat } from '../../blocks/annex/formats/index.js';
import { validateReport, type RulesContext } from '../../blocks/annex/validate.js';
import { ANNEX_FIELD } from '../../blocks/contract.js';
import { createReportDoc } from '../collab/report-store.js';
import { buildDemoReportUpdate } from '../demo/seed-demo.js';
import { digestReport, findingsOfDigest, lastYearText } from './report-digest.js';

// The rules over a whole report run on the event loop every open report shares; a report asked
// about again without a change gets the findings already made, and any change makes them anew.

const format = findFormat('gov-disclosure-2021')!;
const YEAR = 2025;

function demoDoc(): Y.Doc {
  const doc = createReportDoc();
  Y.applyUpdate(doc, buildDemoReportUpdate());
  return doc;
}

const lastYearDigest = digestReport(demoDoc(), format, 1);
const contextOf = (overrides: Partial<RulesContext> = {}): RulesContext => ({
  previous: lastYearDigest.tables,
  previousText: lastYearText(lastYearDigest),
  units: [],
  level: 'county',
  ...overrides,
});

describe('findings of a digested report', () => {
  it('are the rules\' findings, made once while the report and what they compare it with stay the same', () => {
    const digest = digestReport(demoDoc(), format, 7);
    const findings = findingsOfDigest(digest, format, YEAR, contextOf());
    expect(findings).toEqual(validateReport({ format, year: YEAR, tables: digest.tables, reading: digest.reading, ...contextOf() }));
    expect(findingsOfDigest(digest, format, YEAR, contextOf())).toBe(findings);
  });

  it('are made anew for a later moment of the report, and show what changed', () => {
    const doc = demoDoc();
    const before = findingsOfDigest(digestReport(doc, format, 7), format, YEAR, contextOf());
    const table = doc.getMap<Y.Map<number | null>>(ANNEX_FIELD).get('B')!;
    table.set(cellKey('new', 'natural'), (table.get(cellKey('new', 'natural')) ?? 0) + 1000);
    const after = findingsOfDigest(digestReport(doc, format, 8), format, YEAR, contextOf());
    expect(after.length).toBeGreaterThan(before.length);
  });

  it('are made anew when the level, the units, the year or last year\'s report change', () => {
    const digest = digestReport(demoDoc(), format, 7);
    const changes: Array<[number, Partial<RulesContext>]> = [
      [YEAR, { level: 'province' }],
      [YEAR, { units: [{ id: 'town-a', name: '甲街道' }] }],
      [YEAR + 1, {}],
      [YEAR, { previous: null, previousText: null }],
      [YEAR, { previousText: lastYearText(digestReport(demoDoc(), format, 2)) }],
    ];
    for (const [year, change] of changes) {
      const unchanged = findingsOfDigest(digest, format, YEAR, contextOf());
      expect(findingsOfDigest(digest, format, YEAR, contextOf())).toBe(unchanged);
      const findings = findingsOfDigest(digest, format, year, contextOf(change));
      expect(findings).not.toBe(unchanged);
      expect(findings).toEqual(validateReport({ format, year, tables: digest.tables, reading: digest.reading, ...contextOf(change) }));
    }
  });

  it('read last year\'s text once per digest of last year', () => {
    expect(lastYearText(lastYearDigest)).toBe(lastYearText(lastYearDigest));
  });
});
