import type { FormatDefinition, TableDefinition } from '../definition.js';
import { govDisclosure2021 } from './gov-disclosure-2021.js';
import { tableB, tableC } from './national-tables.js';

/** Table A of the 2019 trial format: counts of items and their change, plus （九）项 government procurement. */
const tableA: TableDefinition = {
  id: 'A',
  title: '主动公开政府信息情况',
  columns: [
    { id: 'made', label: '本年新制作数量' },
    { id: 'published', label: '本年新公开数量' },
    { id: 'published-total', label: '对外公开总数量' },
    { id: 'items-last-year', label: '上一年项目数量' },
    { id: 'items-change', label: '本年增/减', kind: 'change' },
    { id: 'decisions', label: '处理决定数量' },
    { id: 'procurement-items', label: '采购项目数量' },
    { id: 'procurement-amount', label: '采购总金额', kind: 'amount' },
  ],
  rows: [
    { id: 'regulations', label: '规章', caption: '第二十条第（一）项', columns: ['made', 'published', 'published-total'] },
    { id: 'normative', label: '规范性文件', columns: ['made', 'published', 'published-total'] },
    { id: 'licensing', label: '行政许可', caption: '第二十条第（五）项', columns: ['items-last-year', 'items-change', 'decisions'] },
    { id: 'other-services', label: '其他对外管理服务事项', columns: ['items-last-year', 'items-change', 'decisions'] },
    { id: 'penalty', label: '行政处罚', caption: '第二十条第（六）项', columns: ['items-last-year', 'items-change', 'decisions'] },
    { id: 'enforcement', label: '行政强制', columns: ['items-last-year', 'items-change', 'decisions'] },
    { id: 'charges', label: '行政事业性收费', caption: '第二十条第（八）项', columns: ['items-last-year', 'items-change'] },
    { id: 'procurement', label: '政府集中采购', caption: '第二十条第（九）项', columns: ['procurement-items', 'procurement-amount'] },
  ],
};


/** 国办公开办函〔2019〕60号, the trial format of the 2019 and 2020 reports. */
export const govDisclosure2019: FormatDefinition = {
  format: 'gov-disclosure-2019',
  title: '政府信息公开工作年度报告格式（试行）（国办公开办函〔2019〕60号）',
  years: { from: 2019, to: 2020 },
  tables: [tableA, tableB([{ id: 'other-handling', label: '（六）其他处理', depth: 1 }]), tableC],
  strictSections: true,
  sections: govDisclosure2021.sections,
};
