/**
 * How large and how deep a report's content may be. Defined once: the editor keeps honest users
 * inside these limits and says so, the server refuses an update that goes past them. Each limit
 * is far above what a report needs and far below what would stall a browser or the server.
 */
export const contentLimits = {
  /**
   * Elements nested inside the body, the section itself counting as 1 (a paragraph in a
   * section is 2). Twenty allows lists nine levels deep; thousands crash every browser that
   * renders them, since the editor's conversions recurse.
   */
  maxDepth: 20,
  /** A table cell's colspan and rowspan. */
  maxCellSpan: 30,
  /** Columns of one table row: the sum of its cells' colspans. */
  maxTableColumns: 30,
  /** A column width in pixels, as the editor stores it. */
  maxColumnWidth: 4000,
  /** Characters of a text attribute: a link's address, a title. */
  maxAttributeLength: 2048,
  /** Formatting changes (bold on, bold off, a link…) in one update: a whole section made bold is a few hundred. */
  maxFormatsPerUpdate: 2000,
  /** Characters in one section, each nested element counting as one: about 150 printed pages. */
  maxSectionLength: 300_000,
  /** Characters of a section's or a report's title. */
  maxTitleLength: 200,
  /** The number an ordered list starts at. */
  maxListStart: 100_000,
} as const;
