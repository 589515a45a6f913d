/**
 * The typefaces official documents are set in (GB/T 9704-2012), as CSS font stacks: the reader's
 * own fonts first, then the Debian fonts the server prints PDFs with — AR PL UMing (a 明体/宋体)
 * where no 仿宋 or 小标宋 is free to ship, AR PL UKai for 楷体, WenQuanYi Zen Hei for 黑体. They
 * come before Noto CJK because Chromium's PDF text layer maps some Noto glyphs (民, 长, 门 …) to
 * CJK radical code points, so copying or searching the PDF would not find the words.
 */
export const OFFICIAL_FONTS = {
  SONG: '"SimSun","宋体","AR PL UMing CN","Noto Serif CJK SC",serif',
  FANGSONG: '"仿宋_GB2312","FangSong","仿宋","STFangsong","AR PL UMing CN","Noto Serif CJK SC",serif',
  KAI: '"楷体_GB2312","KaiTi","楷体","STKaiti","AR PL UKai CN","AR PL UMing CN",serif',
  TITLE_SONG: '"方正小标宋简体","FZXiaoBiaoSong-B05S","SimSun","宋体","AR PL UMing CN",serif',
  HEI: '"SimHei","黑体","WenQuanYi Zen Hei","Noto Sans CJK SC",sans-serif',
} as const;

/**
 * The page of an official document as GB/T 9704-2012 sets it, in CSS for every page that prints
 * (the published report, its PDF, and the editor): A4 with a type area of 156 × 225 mm — top 37,
 * bottom 35, binding side 28 and outer side 26 mm, mirrored on left-hand pages — and the page
 * number "— 1 —" in 宋体 四号 one character in from the outer edge, 7 mm below the type area.
 */
const PAGE_NUMBER = `content:"— " counter(page) " —";font:14pt ${OFFICIAL_FONTS.SONG};vertical-align:top;padding-top:7mm`;

export const OFFICIAL_PAGE_CSS = [
  '@page{size:A4;margin:37mm 26mm 35mm 28mm}',
  `@page:right{@bottom-right{${PAGE_NUMBER};padding-right:14pt}}`,
  `@page:left{margin:37mm 28mm 35mm 26mm;@bottom-left{${PAGE_NUMBER};padding-left:14pt}}`,
].join('');
