import * as Y from 'yjs';
import { readAnnexTables } from '../../blocks/annex/annex-data.js';
import { formatFigureCell } from '../../blocks/annex/annex-figure-node.js';
import { cellKey, type FormatDefinition } from '../../blocks/annex/definition.js';
import { readReport } from '../../blocks/annex/report-reading.js';
import type { Finding } from '../../blocks/annex/rules/finding.js';
import { validateReport, type RulesContext } from '../../blocks/annex/validate.js';
import type { AnnexSnapshot, AnnexViewModel } from '../../blocks/annex/view-context.js';
import { ANNEX_FIELD, BODY_FIELD } from '../../blocks/contract.js';
import { readBodyJSON, type NodeJSON } from '../../blocks/report-json.js';

export interface AnnexRulesContext extends RulesContext {
  year: number;
}

function indexByCell(findings: readonly Finding[]): Map<string, Finding[]> {
  const byCell = new Map<string, Finding[]>();
  for (const finding of findings) {
    for (const cell of finding.cells) {
      const key = formatFigureCell(cell);
      const list = byCell.get(key);
      if (list) list.push(finding);
      else byCell.set(key, [finding]);
    }
  }
  return byCell;
}

/**
 * The report's numbers and findings in this browser, recomputed from the shared document after
 * every change — local or remote — with the same rules the server runs. Every co-editor holds the
 * same document, so every co-editor sees the same findings.
 */
export class AnnexState implements AnnexViewModel {
  private snapshot: AnnexSnapshot = { tables: {}, findings: [], byCell: new Map() };
  private readonly listeners = new Set<() => void>();
  private scheduled = false;
  /** The body is serialised again only after it changed; typing in a cell re-reads only numbers. */
  private bodyJSON: NodeJSON | null = null;
  private readonly body: Y.XmlFragment;

  constructor(
    private readonly doc: Y.Doc,
    readonly format: FormatDefinition,
    private context: AnnexRulesContext,
  ) {
    this.body = doc.getXmlFragment(BODY_FIELD);
    this.body.observeDeep(this.bodyChanged);
    this.doc.on('update', this.schedule);
    this.recompute();
  }

  setContext(context: AnnexRulesContext): void {
    this.context = context;
    this.recompute();
  }

  destroy(): void {
    this.doc.off('update', this.schedule);
    this.body.unobserveDeep(this.bodyChanged);
    this.listeners.clear();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): AnnexSnapshot => this.snapshot;

  setCells(changes: ReadonlyArray<{ ref: { table: string; row: string; column: string }; value: number | null }>): void {
    if (changes.length === 0) return;
    const annex = this.doc.getMap<Y.Map<number | null>>(ANNEX_FIELD);
    this.doc.transact(() => {
      for (const { ref, value } of changes) annex.get(ref.table)?.set(cellKey(ref.row, ref.column), value);
    });
  }

  unitName(unitId: string): string {
    return this.context.units.find((unit) => unit.id === unitId)?.name ?? unitId;
  }

  private readonly bodyChanged = () => {
    this.bodyJSON = null;
  };

  /** Several updates in one task (a paste, a burst of remote keystrokes) are checked once. */
  private readonly schedule = () => {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.recompute();
    });
  };

  private recompute(): void {
    const tables = readAnnexTables(this.doc, this.format);
    this.bodyJSON ??= readBodyJSON(this.doc);
    // Linked figures show live values, so the text is read again whenever numbers change.
    const reading = readReport(this.bodyJSON, this.format, tables);
    const findings = validateReport({ format: this.format, tables, reading, ...this.context });
    // Most updates are someone typing text: the numbers and findings come out as they were, and
    // telling every table and figure would re-render every cell of the report on every keystroke.
    if (sameData(tables, this.snapshot.tables) && sameData(findings, this.snapshot.findings)) return;
    this.snapshot = { tables, findings, byCell: indexByCell(findings) };
    for (const listener of this.listeners) listener();
  }
}

/** Whether two values made of plain objects, arrays and primitives (tables, findings) hold the same data. */
function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const keysOfA = Object.keys(a);
  if (keysOfA.length !== Object.keys(b).length) return false;
  return keysOfA.every((key) => Object.hasOwn(b, key) && sameData((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}
