import { mayChangeStructure, sectionEditRefusal, type SectionAccess, type Writer } from '../../blocks/section/permissions.js';
import type { UpdateScope } from './update-scope.js';

/** What the database says about one section, as the guard and the room need it. */
export interface SectionRule extends SectionAccess {
  /** The lead office approved its text: an edit takes the approval away. */
  approved: boolean;
}

/** Who is editing. */
export type Editor = Writer;

export type EditVerdict = { allowed: true } | { allowed: false; sectionId: string | null; reason: string };

const refuse = (sectionId: string | null, reason: string): EditVerdict => ({ allowed: false, sectionId, reason });

/**
 * The product's core promise: a department edits only its own unlocked sections (and the annex
 * tables they hold); the lead office edits anything unlocked and alone changes the report's
 * structure. A locked section is final for everyone until the lead office unlocks it.
 */
export function judgeEdit(
  scope: UpdateScope,
  editor: Editor,
  rules: ReadonlyMap<string, SectionRule>,
  sectionOfTable: (tableId: string) => string | null,
): EditVerdict {
  if (editor.role === 'viewer') return refuse(null, '只读用户不能修改报告（read-only user）');
  if (!mayChangeStructure(editor) && scope.structure.length > 0) {
    const change = scope.structure[0]!;
    const where = change.sectionId ? `章节 ${change.sectionId}：` : '';
    return refuse(change.sectionId, `${where}只有政府办可以调整报告结构（structure is lead-only: ${change.detail}）`);
  }
  const check = (sectionId: string, what: string): EditVerdict | null => {
    const refusal = sectionEditRefusal(editor, rules.get(sectionId));
    if (refusal === 'locked') return refuse(sectionId, `章节 ${sectionId} 已锁定（locked）${what}`);
    if (refusal === 'not-yours') return refuse(sectionId, `章节 ${sectionId} 不属于本部门（not your section）${what}`);
    return null;
  };
  // A locked section's attributes (its title, its id) are as final as its text.
  for (const change of scope.structure) {
    if (change.sectionId !== null && rules.get(change.sectionId)?.locked) return refuse(change.sectionId, `章节 ${change.sectionId} 已锁定（locked）`);
  }
  for (const sectionId of scope.sections) {
    const verdict = check(sectionId, '');
    if (verdict) return verdict;
  }
  for (const tableId of scope.tables) {
    const sectionId = sectionOfTable(tableId);
    if (sectionId === null) {
      if (mayChangeStructure(editor)) continue;
      return refuse(null, `附表 ${tableId} 不在任何章节中（table not placed in a section）`);
    }
    const verdict = check(sectionId, `，附表 ${tableId}`);
    if (verdict) return verdict;
  }
  return { allowed: true };
}
