import { cellLabel, type FormatDefinition } from '../annex/definition.js';
import { findTable } from '../annex/formats/index.js';
import type { Language } from '../errors.js';
import type { UnreadCell } from './table-reading.js';

/** Why a cell was left unread, as the preview tells the person importing (and scripts read it). */
export function unreadMessage(cell: UnreadCell, format: FormatDefinition, language: Language): string {
  const table = findTable(format, cell.table);
  const where = table && cell.row && cell.column ? cellLabel(table, { table: cell.table, row: cell.row, column: cell.column }) : '';
  const zh = language === 'zh';
  switch (cell.reason) {
    case 'table-not-found':
      return zh ? `未找到附表${cell.table}「${table?.title ?? ''}」` : `Table ${cell.table} was not found`;
    case 'row-not-found':
      return zh ? `附表${cell.table}${where}：未找到这一行` : `Table ${cell.table} ${where}: row not found`;
    case 'cell-count':
      return zh
        ? `附表${cell.table}${where}：这一行读到 ${cell.found} 个数，与表格列数不符（数字可能连在一起），未作猜测`
        : `Table ${cell.table} ${where}: the row had ${cell.found} numbers, not one per column (digits may have run together); nothing was guessed`;
    case 'not-a-number':
      return zh ? `附表${cell.table}${where}：「${cell.found}」不是数字` : `Table ${cell.table} ${where}: "${cell.found}" is not a number`;
  }
}
