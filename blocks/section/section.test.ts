import { describe, expect, it } from 'vitest';
import { reportSchema } from '../extensions.js';

const paragraph = (text: string) => ({ type: 'paragraph', content: [{ type: 'text', text }] });

describe('report sections', () => {
  it('a report is made of sections only, each with a stable id', () => {
    const doc = reportSchema.nodeFromJSON({
      type: 'doc',
      content: [{ type: 'section', attrs: { sectionId: 'overview', title: '一、总体情况', level: 1 }, content: [paragraph('正文')] }],
    });
    expect(() => doc.check()).not.toThrow();
    expect(() => reportSchema.nodeFromJSON({ type: 'doc', content: [paragraph('游离段落')] }).check()).toThrow();
  });

  it('refuses a section id that is not a plain lowercase key, or a level other than chapter or part', () => {
    const section = (attrs: Record<string, unknown>) =>
      reportSchema.nodeFromJSON({ type: 'doc', content: [{ type: 'section', attrs, content: [paragraph('x')] }] }).check();
    expect(() => section({ sectionId: 'Overview Part', title: 'x', level: 1 })).toThrow(/sectionId/);
    expect(() => section({ sectionId: null, title: 'x', level: 1 })).toThrow(/sectionId/);
    expect(() => section({ sectionId: 'ok', title: 'x', level: 3 })).toThrow(/level/);
  });
});
