import { createContext } from 'react';
import type { AnnexTables } from './annex-data.js';
import type { CellRef, FormatDefinition } from './definition.js';
import type { Finding } from './rules/finding.js';

/** The report's numbers and what the rules say about them, at one moment. */
export interface AnnexSnapshot {
  tables: AnnexTables;
  findings: Finding[];
  /** Findings by cell address ("B/new:total"), for marking cells in place. */
  byCell: ReadonlyMap<string, Finding[]>;
}

/** What the annex node views read and write; the client implements it over the report's Y.Doc. */
export interface AnnexViewModel {
  format: FormatDefinition;
  subscribe(listener: () => void): () => void;
  getSnapshot(): AnnexSnapshot;
  /** Writes cells in one change, so a pasted block reaches co-editors at once. */
  setCells(changes: ReadonlyArray<{ ref: CellRef; value: number | null }>): void;
  unitName(unitId: string): string;
}

export interface AnnexViewLabels {
  notFilled: string;
  shouldBe: string;
  fillTotals: string;
  unknownTable: string;
  pasteTooLarge: string;
  pasteRejected: string;
  cellProblems: string;
}

export interface AnnexViewContextValue {
  model: AnnexViewModel;
  language: 'zh' | 'en';
  labels: AnnexViewLabels;
}

export const AnnexViewContext = createContext<AnnexViewContextValue | null>(null);
