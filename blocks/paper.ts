/**
 * The page of an official document as GB/T 9704-2012 sets it, in CSS for every page that prints
 * (the published report, its PDF, and the editor): A4 with a type area of 156 × 225 mm — top 37,
 * bottom 35, binding side 28 and outer side 26 mm, mirrored on left-hand pages — and the page
 * number "— 1 —" in 宋体 四号 one character in from the outer edge, 7 mm below the type area.
 */
const PAGE_NUMBER_FONT = '"SimSun","宋体","AR PL UMing CN","Noto Serif CJK SC",serif';
const PAGE_NUMBER = `content:"— " counter(page) " —";font:14pt ${PAGE_NUMBER_FONT};vertical-align:top;padding-top:7mm`;

export const OFFICIAL_PAGE_CSS = [
  '@page{size:A4;margin:37mm 26mm 35mm 28mm}',
  `@page:right{@bottom-right{${PAGE_NUMBER};padding-right:14pt}}`,
  `@page:left{margin:37mm 28mm 35mm 26mm;@bottom-left{${PAGE_NUMBER};padding-left:14pt}}`,
].join('');
