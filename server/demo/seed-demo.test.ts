import { yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BODY_FIELD } from '../../blocks/contract.js';
import { reportSchema } from '../../blocks/extensions.js';
import { readSectionOutline } from '../../blocks/section/outline.js';
import { buildDemoReportUpdate } from './seed-demo.js';

describe('the demo report', () => {
  it('the demo report fits the schema and reads back as six chapters with department parts', () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, buildDemoReportUpdate());
    const fragment = doc.getXmlFragment(BODY_FIELD);
    expect(() => yXmlFragmentToProseMirrorRootNode(fragment, reportSchema).check()).not.toThrow();

    const outline = readSectionOutline(fragment);
    expect(outline.filter((s) => s.level === 1).map((s) => s.title.slice(0, 2))).toEqual(['一、', '二、', '三、', '四、', '五、', '六、']);
    expect(outline.map((s) => s.sectionId)).toContain('overview-finance');
    expect(outline.find((s) => s.sectionId === 'overview-env')).toMatchObject({ level: 2, title: '（三）生态环境信息公开' });
  });
});
