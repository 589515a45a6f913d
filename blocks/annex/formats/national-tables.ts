import type { ColumnDefinition, RowDefinition, TableDefinition } from '../definition.js';

/**
 * Table B (收到和处理政府信息公开申请情况) as the 2019 and 2021 formats share it; they differ only
 * in （六）其他处理, which the 2021 format splits into three numbered rows.
 */
export function tableB(otherHandling: readonly RowDefinition[]): TableDefinition {
  return {
    id: 'B',
    title: '收到和处理政府信息公开申请情况',
    note: TABLE_B_NOTE,
    columnsCaption: '申请人情况',
    perUnit: true,
    columns: tableBColumns,
    rows: tableBRows(otherHandling),
  };
}

function tableBRows(otherHandling: readonly RowDefinition[]): RowDefinition[] {
  return [
    { id: 'new', label: '一、本年新收政府信息公开申请数量', depth: 0 },
    { id: 'carried', label: '二、上年结转政府信息公开申请数量', depth: 0 },
    { id: 'results', label: '三、本年度办理结果', depth: 0, heading: true },
    { id: 'granted', label: '（一）予以公开', depth: 1 },
    { id: 'partial', label: '（二）部分公开（区分处理的，只计这一情形，不计其他情形）', depth: 1 },
    { id: 'denied', label: '（三）不予公开', depth: 1, heading: true },
    { id: 'denied-secret', label: '1.属于国家秘密', depth: 2 },
    { id: 'denied-law', label: '2.其他法律行政法规禁止公开', depth: 2 },
    { id: 'denied-security', label: '3.危及“三安全一稳定”', depth: 2 },
    { id: 'denied-third-party', label: '4.保护第三方合法权益', depth: 2 },
    { id: 'denied-internal', label: '5.属于三类内部事务信息', depth: 2 },
    { id: 'denied-deliberative', label: '6.属于四类过程性信息', depth: 2 },
    { id: 'denied-enforcement', label: '7.属于行政执法案卷', depth: 2 },
    { id: 'denied-inquiry', label: '8.属于行政查询事项', depth: 2 },
    { id: 'unavailable', label: '（四）无法提供', depth: 1, heading: true },
    { id: 'unavailable-not-held', label: '1.本机关不掌握相关政府信息', depth: 2 },
    { id: 'unavailable-needs-making', label: '2.没有现成信息需要另行制作', depth: 2 },
    { id: 'unavailable-unclear', label: '3.补正后申请内容仍不明确', depth: 2 },
    { id: 'declined', label: '（五）不予处理', depth: 1, heading: true },
    { id: 'declined-petition', label: '1.信访举报投诉类申请', depth: 2 },
    { id: 'declined-repeat', label: '2.重复申请', depth: 2 },
    { id: 'declined-publication', label: '3.要求提供公开出版物', depth: 2 },
    { id: 'declined-excessive', label: '4.无正当理由大量反复申请', depth: 2 },
    { id: 'declined-confirmation', label: '5.要求行政机关确认或重新出具已获取信息', depth: 2 },
    ...otherHandling,
    { id: 'total', label: '（七）总计', depth: 1 },
    { id: 'forward', label: '四、结转下年度继续办理', depth: 0 },
  ];
}

const TABLE_B_NOTE = '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）';

const tableBColumns: readonly ColumnDefinition[] = [
  { id: 'natural', label: '自然人' },
  { id: 'business', label: '商业企业', group: '法人或其他组织' },
  { id: 'research', label: '科研机构', group: '法人或其他组织' },
  { id: 'nonprofit', label: '社会公益组织', group: '法人或其他组织' },
  { id: 'legal', label: '法律服务机构', group: '法人或其他组织' },
  { id: 'other', label: '其他', group: '法人或其他组织' },
  { id: 'total', label: '总计' },
];

/** The columns that make up 法人或其他组织 (no subtotal column of its own). */
export const ORGANISATION_COLUMNS = ['business', 'research', 'nonprofit', 'legal', 'other'] as const;

/** The five columns of one group of table C; `prefix` keeps their ids apart ("review-total"). */
function resultColumns(prefix: string, group: string, subgroup?: string): ColumnDefinition[] {
  const results = [
    ['upheld', '结果维持'],
    ['corrected', '结果纠正'],
    ['other', '其他结果'],
    ['pending', '尚未审结'],
    ['total', '总计'],
  ] as const;
  return results.map(([id, label]) => ({ id: `${prefix}-${id}`, label, group, ...(subgroup ? { subgroup } : {}) }));
}

/** Table C (政府信息公开行政复议、行政诉讼情况), unchanged since 2019: one row, three groups of five. */
export const tableC: TableDefinition = {
  id: 'C',
  title: '政府信息公开行政复议、行政诉讼情况',
  perUnit: true,
  rows: [{ id: 'cases', label: '案件数量' }],
  columns: [
    ...resultColumns('review', '行政复议'),
    ...resultColumns('direct', '行政诉讼', '未经复议直接起诉'),
    ...resultColumns('after-review', '行政诉讼', '复议后起诉'),
  ],
};

/** The three groups of table C, each a partition: 维持 + 纠正 + 其他 + 尚未审结 = 总计. */
export const TABLE_C_GROUPS = [
  { prefix: 'review', zh: '行政复议', en: 'administrative reviews' },
  { prefix: 'direct', zh: '行政诉讼（未经复议直接起诉）', en: 'lawsuits filed directly' },
  { prefix: 'after-review', zh: '行政诉讼（复议后起诉）', en: 'lawsuits after review' },
] as const;
