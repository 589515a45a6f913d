// The demo district's annex figures for 2024 and 2025, consistent under every rule (B1–B3, C1,
// Y1, Y2) so the demo opens with no errors; typing a wrong number shows the checks at work.
import type { AnnexTables, TableValues } from '../../blocks/annex/annex-data.js';

type Counts = Partial<Record<'natural' | 'business' | 'research' | 'nonprofit' | 'legal' | 'other', number>>;

const APPLICANTS = ['natural', 'business', 'research', 'nonprofit', 'legal', 'other'] as const;
const RESULT_ROWS = [
  'granted', 'partial',
  'denied-secret', 'denied-law', 'denied-security', 'denied-third-party', 'denied-internal', 'denied-deliberative', 'denied-enforcement', 'denied-inquiry',
  'unavailable-not-held', 'unavailable-needs-making', 'unavailable-unclear',
  'declined-petition', 'declined-repeat', 'declined-publication', 'declined-excessive', 'declined-confirmation',
  'other-no-correction', 'other-unpaid', 'other-other',
] as const;

/** Table B from its parts: the 总计 column and the （七）总计 row are sums, as the format defines them. */
function tableB(rows: { new: Counts; carried: Counts; forward: Counts; results: Partial<Record<(typeof RESULT_ROWS)[number], Counts>> }): TableValues {
  const row = (counts: Counts = {}) => {
    const cells: Record<string, number> = {};
    for (const applicant of APPLICANTS) cells[applicant] = counts[applicant] ?? 0;
    cells.total = APPLICANTS.reduce((sum, applicant) => sum + cells[applicant]!, 0);
    return cells;
  };
  const table: TableValues = { new: row(rows.new), carried: row(rows.carried) };
  const total: Counts = {};
  for (const result of RESULT_ROWS) {
    table[result] = row(rows.results[result]);
    for (const applicant of APPLICANTS) total[applicant] = (total[applicant] ?? 0) + (rows.results[result]?.[applicant] ?? 0);
  }
  table.total = row(total);
  table.forward = row(rows.forward);
  return table;
}

function tableC(groups: Record<'review' | 'direct' | 'after-review', [upheld: number, corrected: number, other: number, pending: number]>): TableValues {
  const cells: Record<string, number> = {};
  for (const [prefix, [upheld, corrected, other, pending]] of Object.entries(groups)) {
    Object.assign(cells, { [`${prefix}-upheld`]: upheld, [`${prefix}-corrected`]: corrected, [`${prefix}-other`]: other, [`${prefix}-pending`]: pending, [`${prefix}-total`]: upheld + corrected + other + pending });
  }
  return { cases: cells };
}

function tableA(a: { normative: [number, number, number]; licensing: number; penalty: number; enforcement: number; fees: number }): TableValues {
  return {
    regulations: { issued: 0, repealed: 0, current: 0 },
    normative: { issued: a.normative[0], repealed: a.normative[1], current: a.normative[2] },
    licensing: { decisions: a.licensing },
    penalty: { decisions: a.penalty },
    enforcement: { decisions: a.enforcement },
    charges: { fees: a.fees },
  };
}

export const demoAnnex2024: AnnexTables = {
  A: tableA({ normative: [5, 1, 37], licensing: 3510, penalty: 1102, enforcement: 41, fees: 118.2 }),
  B: tableB({
    new: { natural: 88, business: 15, research: 1, legal: 3, other: 2 },
    carried: { natural: 3, business: 1 },
    forward: { natural: 5, business: 1 },
    results: {
      granted: { natural: 47, business: 9, research: 1, legal: 2, other: 1 },
      partial: { natural: 8, business: 2 },
      'denied-law': { natural: 1 },
      'denied-third-party': { natural: 2, business: 1 },
      'denied-deliberative': { natural: 2 },
      'unavailable-not-held': { natural: 14, business: 2, legal: 1 },
      'unavailable-needs-making': { natural: 2 },
      'declined-petition': { natural: 4, other: 1 },
      'declined-repeat': { natural: 2, business: 1 },
      'other-no-correction': { natural: 3 },
      'other-other': { natural: 1 },
    },
  }),
  C: tableC({ review: [2, 1, 0, 0], direct: [1, 0, 0, 0], 'after-review': [0, 0, 0, 0] }),
};

export const demoAnnex2025: AnnexTables = {
  A: tableA({ normative: [6, 2, 41], licensing: 3862, penalty: 1254, enforcement: 37, fees: 126.5 }),
  B: tableB({
    new: { natural: 96, business: 18, research: 2, nonprofit: 1, legal: 4, other: 3 },
    carried: { natural: 5, business: 1 },
    forward: { natural: 4, business: 1 },
    results: {
      granted: { natural: 52, business: 10, research: 2, nonprofit: 1, legal: 2, other: 2 },
      partial: { natural: 9, business: 2, legal: 1 },
      'denied-law': { natural: 1 },
      'denied-third-party': { natural: 2, business: 1 },
      'denied-internal': { natural: 1 },
      'denied-deliberative': { natural: 2, business: 1 },
      'denied-enforcement': { natural: 1 },
      'denied-inquiry': { natural: 1 },
      'unavailable-not-held': { natural: 14, business: 3, legal: 1 },
      'unavailable-needs-making': { natural: 3 },
      'unavailable-unclear': { natural: 1 },
      'declined-petition': { natural: 3, other: 1 },
      'declined-repeat': { natural: 2, business: 1 },
      'declined-publication': { natural: 1 },
      'declined-confirmation': { natural: 1 },
      'other-no-correction': { natural: 2 },
      'other-other': { natural: 1 },
    },
  }),
  C: tableC({ review: [3, 1, 0, 1], direct: [1, 0, 0, 1], 'after-review': [1, 0, 0, 0] }),
};
