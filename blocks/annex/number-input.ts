import type { CellKind } from './definition.js';

export type CellInput = { ok: true; value: number | null } | { ok: false; zh: string; en: string };

const refuse = (zh: string, en: string): CellInput => ({ ok: false, zh, en });

/**
 * What a person typed (or pasted) into a number cell. Full-width digits and signs from a Chinese
 * input method and thousands separators are understood; blank means "not filled", never zero;
 * anything else is refused with a reason, and nothing is stored.
 */
export function parseCellInput(typed: string, kind: CellKind): CellInput {
  const text = typed
    .normalize('NFKC')
    .replace(/[\s\u3000]/g, '')
    .replace(/[−–—]/g, '-');
  if (text === '') return { ok: true, value: null };
  const match = /^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return refuse(`「${typed.trim()}」不是数字`, `"${typed.trim()}" is not a number`);
  const [, sign, whole, fraction] = match;
  const value = Number(`${sign}${whole!.replace(/,/g, '')}${fraction ? `.${fraction}` : ''}`);
  if (!Number.isSafeInteger(Math.trunc(value))) return refuse('数字过大', 'number too large');
  if (kind !== 'amount' && fraction !== undefined && /[1-9]/.test(fraction)) return refuse('件数应为整数', 'a count is a whole number');
  if (kind === 'amount' && fraction !== undefined && fraction.length > 4) return refuse('金额最多保留4位小数', 'an amount has at most 4 decimals');
  if (kind !== 'change' && value < 0) return refuse('不能为负数', 'cannot be negative');
  return { ok: true, value: value === 0 ? 0 : value };
}

/** A cell's number as the table shows it: plain digits, as the national format prints them. */
export function formatCellValue(value: number | null): string {
  return value === null ? '' : String(value);
}

/**
 * A block of numbers copied from Excel, WPS or a Word table: rows by line, cells by tab (or by
 * runs of spaces when there is no tab). Trailing empty lines, which spreadsheets add, are dropped;
 * a trailing row of tab-separated blank cells is kept, so its cells are pasted as blank.
 */
export function splitPastedGrid(text: string): string[][] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  // A last line of tabs is a row of blank cells (blank is "not filled"), not padding: keep it.
  const padding = (line: string) => line.trim() === '' && !line.includes('\t');
  while (lines.length > 0 && padding(lines[lines.length - 1]!)) lines.pop();
  const hasTabs = lines.some((line) => line.includes('\t'));
  return lines.map((line) => (hasTabs ? line.split('\t') : line.trim().split(/\s+/)));
}
