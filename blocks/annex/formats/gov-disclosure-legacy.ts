import type { FormatDefinition } from '../definition.js';

const count = [{ id: 'count', label: '数量' }];

/**
 * The simpler 附表 of reports before 2019. Publication channels overlap (one item goes out on
 * several), so table A has no sum rule; some years did not report every row (optional rows).
 */
export const govDisclosureLegacy: FormatDefinition = {
  format: 'gov-disclosure-legacy',
  title: '政府信息公开工作年度报告附表（2019年以前）',
  years: { from: null, to: 2018 },
  strictSections: false,
  tables: [
    {
      id: 'A',
      title: '主动公开情况统计表',
      columns: count,
      rows: [
        { id: 'total', label: '主动公开信息数' },
        { id: 'website', label: '政府网站', caption: '其中：公开渠道', depth: 1, optional: true },
        { id: 'gazette', label: '政府公报', depth: 1, optional: true },
        { id: 'weibo', label: '政务微博', depth: 1, optional: true },
        { id: 'wechat', label: '政务微信', depth: 1, optional: true },
        { id: 'other-channels', label: '其他方式', depth: 1, optional: true },
      ],
    },
    {
      id: 'B',
      title: '依申请公开情况统计表',
      columns: count,
      rows: [
        { id: 'received', label: '申请总数' },
        { id: 'in-person', label: '当面申请', caption: '申请方式', depth: 1 },
        { id: 'fax-phone', label: '传真、电话申请', depth: 1 },
        { id: 'online', label: '网络申请', depth: 1 },
        { id: 'letter', label: '信函申请', depth: 1 },
        { id: 'email', label: '电子邮件申请', depth: 1, optional: true },
        { id: 'other-channel', label: '其他方式申请', depth: 1, optional: true },
        { id: 'answered', label: '对申请答复总数', caption: '答复情况' },
        { id: 'already-public', label: '属于已主动公开范围', depth: 1 },
        { id: 'granted', label: '同意公开', depth: 1 },
        { id: 'partial', label: '同意部分公开', depth: 1 },
        { id: 'refused', label: '不同意公开', depth: 1 },
        { id: 'other-answer', label: '其他', depth: 1, optional: true },
        { id: 'on-time', label: '按时答复', caption: '答复时限', depth: 1, optional: true },
        { id: 'extended', label: '延期答复', depth: 1, optional: true },
      ],
    },
    {
      id: 'C',
      title: '咨询及申诉情况统计表',
      columns: count,
      rows: [
        { id: 'consultations', label: '接受咨询数量', optional: true },
        { id: 'reviews', label: '行政复议数' },
        { id: 'lawsuits', label: '行政诉讼数' },
        { id: 'appeals', label: '行政申诉数', optional: true },
      ],
    },
  ],
  sections: [
    { sectionId: 'overview', title: '一、概述' },
    { sectionId: 'proactive', title: '二、主动公开政府信息情况', tableId: 'A' },
    { sectionId: 'requests', title: '三、依申请公开政府信息情况', tableId: 'B' },
    { sectionId: 'fees', title: '四、政府信息公开的收费及减免情况' },
    { sectionId: 'reviews', title: '五、因政府信息公开申请行政复议、提起行政诉讼的情况', tableId: 'C' },
    { sectionId: 'problems', title: '六、存在的主要问题及改进措施' },
    { sectionId: 'other', title: '七、其他需要报告的事项' },
  ],
};
