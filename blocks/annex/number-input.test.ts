import { describe, expect, it } from 'vitest';
import { formatCellValue, parseCellInput, splitPastedGrid } from './number-input.js';

const accepted = (value: number | null) => ({ ok: true, value });

describe('typing a number into a cell', () => {
  it('understands full-width digits typed with a Chinese input method', () => {
    expect(parseCellInput('１２３', 'count')).toEqual(accepted(123));
    expect(parseCellInput('０', 'count')).toEqual(accepted(0));
    expect(parseCellInput('１２．５', 'amount')).toEqual(accepted(12.5));
  });

  it('understands thousands separators, half-width and full-width', () => {
    expect(parseCellInput('1,234', 'count')).toEqual(accepted(1234));
    expect(parseCellInput('1，234', 'count')).toEqual(accepted(1234));
    expect(parseCellInput('１，２３４，５６７', 'count')).toEqual(accepted(1234567));
    expect(parseCellInput('12,345.6789', 'amount')).toEqual(accepted(12345.6789));
  });

  it('refuses separators in the wrong places instead of guessing', () => {
    expect(parseCellInput('1,23', 'count').ok).toBe(false);
    expect(parseCellInput('12,3456', 'count').ok).toBe(false);
    expect(parseCellInput('1,,234', 'count').ok).toBe(false);
  });

  it('ignores spaces around and inside the number, including the ideographic space', () => {
    expect(parseCellInput(' 7 ', 'count')).toEqual(accepted(7));
    expect(parseCellInput('\u30007\u3000', 'count')).toEqual(accepted(7));
    expect(parseCellInput('3525\t', 'count')).toEqual(accepted(3525));
  });

  it('treats a blank cell as not filled, never as zero', () => {
    for (const typed of ['', '   ', '\u3000', '\t']) {
      const parsed = parseCellInput(typed, 'count');
      expect(parsed).toEqual(accepted(null));
      expect(parsed.ok && parsed.value).not.toBe(0);
    }
    expect(parseCellInput('', 'amount')).toEqual(accepted(null));
    expect(parseCellInput('', 'change')).toEqual(accepted(null));
  });

  it('keeps an explicit zero as zero, and never stores a negative zero', () => {
    expect(parseCellInput('0', 'count')).toEqual(accepted(0));
    const minusZero = parseCellInput('-0', 'change');
    expect(minusZero.ok).toBe(true);
    expect(minusZero.ok && Object.is(minusZero.value, -0)).toBe(false);
  });

  it('refuses letters and words, saying what was typed', () => {
    const parsed = parseCellInput('abc', 'count');
    expect(parsed).toEqual({ ok: false, zh: '「abc」不是数字', en: '"abc" is not a number' });
    expect(parseCellInput('12件', 'count').ok).toBe(false);
    expect(parseCellInput('1e3', 'count').ok).toBe(false);
    expect(parseCellInput('十二', 'count').ok).toBe(false);
    expect(parseCellInput('12.', 'amount').ok).toBe(false);
  });

  it('refuses a fraction of a count, but accepts a whole number written with zero decimals', () => {
    expect(parseCellInput('12.5', 'count')).toEqual({ ok: false, zh: '件数应为整数', en: 'a count is a whole number' });
    expect(parseCellInput('3.01', 'change')).toEqual({ ok: false, zh: '件数应为整数', en: 'a count is a whole number' });
    expect(parseCellInput('12.0', 'count')).toEqual(accepted(12));
  });

  it('refuses a negative count or amount, in any minus sign', () => {
    const negative = { ok: false, zh: '不能为负数', en: 'cannot be negative' };
    expect(parseCellInput('-3', 'count')).toEqual(negative);
    expect(parseCellInput('－3', 'count')).toEqual(negative);
    expect(parseCellInput('−3', 'count')).toEqual(negative);
    expect(parseCellInput('-0.5', 'amount')).toEqual(negative);
  });

  it('lets a change column (本年增/减) go below zero, in any minus sign', () => {
    expect(parseCellInput('-3', 'change')).toEqual(accepted(-3));
    expect(parseCellInput('－３', 'change')).toEqual(accepted(-3));
    expect(parseCellInput('−1,200', 'change')).toEqual(accepted(-1200));
    expect(parseCellInput('–2', 'change')).toEqual(accepted(-2));
    expect(parseCellInput('+4', 'change')).toEqual(accepted(4));
  });

  it('lets a fee amount in 万元 carry up to four decimals, and no more', () => {
    expect(parseCellInput('0.0125', 'amount')).toEqual(accepted(0.0125));
    expect(parseCellInput('3.5', 'amount')).toEqual(accepted(3.5));
    expect(parseCellInput('0.01234', 'amount')).toEqual({ ok: false, zh: '金额最多保留4位小数', en: 'an amount has at most 4 decimals' });
  });

  it('refuses a number too large to store exactly', () => {
    expect(parseCellInput('99999999999999999999', 'count')).toEqual({ ok: false, zh: '数字过大', en: 'number too large' });
  });

  it('reads back every whole number however it is written (full-width, separators, spaces)', () => {
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    const fullWidth = (text: string) => text.replace(/[0-9,]/g, (c) => (c === ',' ? '，' : String.fromCharCode(c.charCodeAt(0) + 0xfee0)));
    for (let i = 0; i < 300; i += 1) {
      const n = next() % 10 ** (1 + (i % 9));
      const grouped = n.toLocaleString('en-US');
      for (const typed of [String(n), grouped, fullWidth(grouped), ` ${grouped}\u3000`]) {
        expect(parseCellInput(typed, 'count')).toEqual(accepted(n));
      }
      expect(parseCellInput(formatCellValue(n), 'count')).toEqual(accepted(n));
    }
  });

  it('shows a blank cell as empty and a number as plain digits', () => {
    expect(formatCellValue(null)).toBe('');
    expect(formatCellValue(0)).toBe('0');
    expect(formatCellValue(1234)).toBe('1234');
  });
});

describe('pasting a block of cells', () => {
  it('splits an Excel copy into rows and cells by CRLF and tabs, dropping the trailing newline', () => {
    expect(splitPastedGrid('3525\t121\r\n3521\t125\r\n')).toEqual([
      ['3525', '121'],
      ['3521', '125'],
    ]);
  });

  it('keeps empty cells in place so blanks stay blank', () => {
    expect(splitPastedGrid('1\t\t3\r\n\t5\t\r\n')).toEqual([
      ['1', '', '3'],
      ['', '5', ''],
    ]);
  });

  it('keeps a last row of blank cells copied from a spreadsheet', () => {
    expect(splitPastedGrid('1\t2\r\n\t\r\n')).toEqual([
      ['1', '2'],
      ['', ''],
    ]);
  });

  it('drops the several empty lines some spreadsheets add at the end, LF or CR alike', () => {
    expect(splitPastedGrid('1\t2\n3\t4\n\n\n')).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(splitPastedGrid('1\t2\r3\t4\r')).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
  });

  it('splits a Word table copied as text by runs of spaces when it has no tabs', () => {
    expect(splitPastedGrid('  1   2  3\n4 5 6\n')).toEqual([
      ['1', '2', '3'],
      ['4', '5', '6'],
    ]);
  });

  it('reads a single column of numbers as one cell per row', () => {
    expect(splitPastedGrid('1\r\n2\r\n3\r\n')).toEqual([['1'], ['2'], ['3']]);
  });

  it('gives nothing for an empty paste', () => {
    expect(splitPastedGrid('')).toEqual([]);
    expect(splitPastedGrid('\r\n')).toEqual([]);
  });

  it('each pasted cell then reads as a number, full-width and separated ones included', () => {
    const grid = splitPastedGrid('１，２３４\t\t5\r\n');
    expect(grid.map((row) => row.map((cell) => parseCellInput(cell, 'count')))).toEqual([[accepted(1234), accepted(null), accepted(5)]]);
  });

  it('gives back any grid of cells copied from a spreadsheet, whatever the line endings', () => {
    let seed = 11;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    for (let i = 0; i < 200; i += 1) {
      const rows = 1 + (next() % 6);
      const columns = 2 + (next() % 6);
      const grid = Array.from({ length: rows }, () => Array.from({ length: columns }, () => (next() % 4 === 0 ? '' : String(next() % 5000))));
      // a spreadsheet copy always has at least one non-blank cell in its first row
      grid[0]![0] = '1';
      const eol = ['\r\n', '\n', '\r'][next() % 3]!;
      const text = grid.map((row) => row.join('\t')).join(eol) + eol;
      expect(splitPastedGrid(text)).toEqual(grid);
    }
  });
});
