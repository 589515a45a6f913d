import type { SourceBlock } from '../../blocks/import/source.js';

/** Traditional characters in at least this share of the Chinese text mean the page is in traditional script. */
const TRADITIONAL_SHARE = 0.02;
const MIN_TRADITIONAL = 5;
const HAN = /\p{Script=Han}/gu;

/**
 * Reads a report mirrored in traditional characters (portals often offer a 繁体 version) in the
 * simplified characters its labels and rules are written in. A simplified text with the odd
 * traditional character is left as it is.
 */
export async function toSimplified(blocks: SourceBlock[]): Promise<{ blocks: SourceBlock[]; traditional: boolean }> {
  const { Converter } = await import('opencc-js/t2cn');
  const convert = Converter({ from: 't', to: 'cn' });
  const all = blocks.map((block) => (block.kind === 'text' ? block.text : block.rows.flat().join(''))).join('');
  const han = all.match(HAN) ?? [];
  const converted = convert(han.join(''));
  let changed = 0;
  for (let index = 0; index < han.length; index++) if (converted[index] !== han[index]) changed++;
  if (changed < MIN_TRADITIONAL || changed < han.length * TRADITIONAL_SHARE) return { blocks, traditional: false };
  return {
    blocks: blocks.map((block) => (block.kind === 'text' ? { kind: 'text', text: convert(block.text) } : { kind: 'table', rows: block.rows.map((row) => row.map(convert)) })),
    traditional: true,
  };
}
