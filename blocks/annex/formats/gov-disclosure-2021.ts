import type { FormatDefinition, TableDefinition } from '../definition.js';
import { tableB, tableC } from './national-tables.js';

/** Table A of the 2021 format: four blocks, each captioned with its article of 条例 第二十条. */
const tableA: TableDefinition = {
  id: 'A',
  title: '主动公开政府信息情况',
  columns: [
    { id: 'issued', label: '本年制发件数' },
    { id: 'repealed', label: '本年废止件数' },
    { id: 'current', label: '现行有效件数' },
    { id: 'decisions', label: '本年处理决定数量' },
    { id: 'fees', label: '本年收费金额（单位：万元）', kind: 'amount' },
  ],
  rows: [
    { id: 'regulations', label: '规章', caption: '第二十条第（一）项', columns: ['issued', 'repealed', 'current'] },
    { id: 'normative', label: '行政规范性文件', columns: ['issued', 'repealed', 'current'] },
    { id: 'licensing', label: '行政许可', caption: '第二十条第（五）项', columns: ['decisions'] },
    { id: 'penalty', label: '行政处罚', caption: '第二十条第（六）项', columns: ['decisions'] },
    { id: 'enforcement', label: '行政强制', columns: ['decisions'] },
    { id: 'charges', label: '行政事业性收费', caption: '第二十条第（八）项', columns: ['fees'] },
  ],
};

/** Table B of the 2021 format: （六）其他处理 in three numbered rows. */
const tableB2021 = tableB([
  { id: 'other-handling', label: '（六）其他处理', depth: 1, heading: true },
  { id: 'other-no-correction', label: '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请', depth: 2 },
  { id: 'other-unpaid', label: '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请', depth: 2 },
  { id: 'other-other', label: '3.其他', depth: 2 },
]);

/** 国办公开办函〔2021〕30号, used from the 2021 reports on. */
export const govDisclosure2021: FormatDefinition = {
  format: 'gov-disclosure-2021',
  title: '政府信息公开工作年度报告格式（国办公开办函〔2021〕30号）',
  years: { from: 2021, to: null },
  tables: [tableA, tableB2021, tableC],
  strictSections: true,
  sections: [
    { sectionId: 'overview', title: '一、总体情况' },
    { sectionId: 'proactive', title: '二、主动公开政府信息情况', tableId: 'A' },
    { sectionId: 'requests', title: '三、收到和处理政府信息公开申请情况', tableId: 'B' },
    { sectionId: 'reviews', title: '四、政府信息公开行政复议、行政诉讼情况', tableId: 'C' },
    { sectionId: 'problems', title: '五、存在的主要问题及改进情况' },
    { sectionId: 'other', title: '六、其他需要报告的事项' },
  ],
};
