/**
 * How published reports write labels and numbers, and how the import reads them back. Real
 * reports vary: full- and half-width digits and brackets, "，" for "、", "(一)" for "（一）",
 * numbering written "1." or "1、", spaces inside labels, thousands separators.
 */

/** Row numbering at the start of a label: 一、 / （一） / 1. / 1、 (after NFKC, brackets are half-width). */
const NUMBERING = /^(?:[一二三四五六七八九十]{1,3}[、.,]|\([一二三四五六七八九十]{1,3}\)|\d{1,2}[.、,](?!\d))/;
const PUNCTUATION = /[、,.;:()[\]【】“”"'‘’《》<>!?。·…\-—–_/|]/g;

/**
 * A label reduced to what identifies it: the same key for 「（二）部分公开（区分处理的，只计这一
 * 情形，不计其他情形）」 and 「(二)部分公开(区分处理的,只计这一情形,不计其他情形)」.
 */
export function labelKey(label: string): string {
  const text = label.normalize('NFKC').replace(/\s/g, '');
  return text.replace(NUMBERING, '').replace(PUNCTUATION, '');
}

/** Characters that stand for "nothing to report" in a cell: a dash, a slash, 无. */
const PLACEHOLDER = /^[-—–/~×xX*无]{1,3}$/;
const NUMBER = /^[-+]?\d+(?:\.\d+)?$/;

/** Text as it is compared for numbers: half-width, without spaces or thousands separators. */
function numberText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/\s/g, '')
    .replace(/(\d),(?=\d{3}(?:\D|$))/g, '$1');
}

/** Whether a cell or token is a number as reports write them. */
export function isNumberText(text: string): boolean {
  return NUMBER.test(numberText(text));
}

/** Whether a table cell sits where values go: a number, blank, or a placeholder for none. */
export function isValueCell(text: string): boolean {
  const compact = numberText(text);
  return compact === '' || NUMBER.test(compact) || PLACEHOLDER.test(compact);
}

export type CellReading = { ok: true; value: number | null } | { ok: false; text: string };

/** A cell's value: a number, null for a blank ("not filled", never zero), or what could not be read. */
export function readCell(text: string): CellReading {
  const compact = numberText(text);
  if (compact === '') return { ok: true, value: null };
  if (NUMBER.test(compact)) return { ok: true, value: Number(compact) };
  return { ok: false, text: text.trim() };
}

/**
 * Splits a token whose number ran into its label when the text was copied
 * ("本年新收政府信息公开申请数量12" → label, "12"). Digits that ran into each other stay one token:
 * "1230" cannot be told apart from "12", "30", and is never guessed.
 */
export function splitTrailingNumber(token: string): string[] {
  const match = /^(.*[\u4e00-\u9fff）)”])(\d[\d,]*(?:\.\d+)?)$/.exec(token.normalize('NFKC'));
  if (!match) return [token];
  return [match[1]!, match[2]!];
}
