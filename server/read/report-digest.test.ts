import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { cellKey } from '../../blocks/annex/definition.js';
import { findFormat } from '../../blocks/annex/formats/index.js';
import { validateReport, type RulesContext } from '../../blocks/annex/validate.js';
import { ANNEX_FIELD } from '../../blocks/contract.js';
import { createReportDoc } from '../collab/report-store.js';
import { buildDemoReportUpdate } from '../demo/seed-demo.js';
import { digestReport, findingsOfDigest, lastYearText, type RulesRunner } from './report-digest.js';

// The rules over a whole report are costly (tens of milliseconds over a long one): a report asked
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
  it('are the rules\' findings, made once while the report and what they compare it with stay the same', async () => {
    const digest = digestReport(demoDoc(), format, 7);
    const findings = await findingsOfDigest(digest, format, YEAR, contextOf());
    expect(findings).toEqual(validateReport({ format, year: YEAR, tables: digest.tables, reading: digest.reading, ...contextOf() }));
    expect(await findingsOfDigest(digest, format, YEAR, contextOf())).toBe(findings);
  });

  it('are made anew for a later moment of the report, and show what changed', async () => {
    const doc = demoDoc();
    const before = await findingsOfDigest(digestReport(doc, format, 7), format, YEAR, contextOf());
    const table = doc.getMap<Y.Map<number | null>>(ANNEX_FIELD).get('B')!;
    table.set(cellKey('new', 'natural'), (table.get(cellKey('new', 'natural')) ?? 0) + 1000);
    const after = await findingsOfDigest(digestReport(doc, format, 8), format, YEAR, contextOf());
    expect(after.length).toBeGreaterThan(before.length);
  });

  it('are made anew when the level, the units, the year or last year\'s report change', async () => {
    const digest = digestReport(demoDoc(), format, 7);
    const changes: Array<[number, Partial<RulesContext>]> = [
      [YEAR, { level: 'province' }],
      [YEAR, { units: [{ id: 'town-a', name: '甲街道' }] }],
      [YEAR + 1, {}],
      [YEAR, { previous: null, previousText: null }],
      [YEAR, { previousText: lastYearText(digestReport(demoDoc(), format, 2)) }],
    ];
    for (const [year, change] of changes) {
      const unchanged = await findingsOfDigest(digest, format, YEAR, contextOf());
      expect(await findingsOfDigest(digest, format, YEAR, contextOf())).toBe(unchanged);
      const findings = await findingsOfDigest(digest, format, year, contextOf(change));
      expect(findings).not.toBe(unchanged);
      expect(findings).toEqual(validateReport({ format, year, tables: digest.tables, reading: digest.reading, ...contextOf(change) }));
    }
  });

  it('are made once for questions asked while they are being made, and made again after a run that failed', async () => {
    const digest = digestReport(demoDoc(), format, 7);
    let runs = 0;
    const failing: RulesRunner = async () => {
      runs++;
      throw new Error('the rules thread stopped');
    };
    const asked = [findingsOfDigest(digest, format, YEAR, contextOf(), failing), findingsOfDigest(digest, format, YEAR, contextOf(), failing)];
    for (const question of asked) await expect(question).rejects.toThrow('the rules thread stopped');
    expect(runs).toBe(1);
    const findings = await findingsOfDigest(digest, format, YEAR, contextOf());
    expect(findings).toEqual(validateReport({ format, year: YEAR, tables: digest.tables, reading: digest.reading, ...contextOf() }));
  });

  it('read last year\'s text once per digest of last year', () => {
    expect(lastYearText(lastYearDigest)).toBe(lastYearText(lastYearDigest));
  });
});
