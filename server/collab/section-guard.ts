import type { Role } from '../db/types.js';
import type { UpdateScope } from './update-scope.js';

/** What the database says about one section, as the guard needs it. */
export interface SectionRule {
  departmentId: string | null;
  locked: boolean;
}

/** Who is editing. */
export interface Editor {
  role: Role;
  departmentId: string;
}

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
  if (editor.role !== 'lead' && scope.structure.length > 0) {
    const change = scope.structure[0]!;
    return refuse(change.sectionId, `只有政府办可以调整报告结构（structure is lead-only: ${change.detail}）`);
  }
  const check = (sectionId: string, what: string): EditVerdict | null => {
    const rule = rules.get(sectionId);
    if (rule?.locked) return refuse(sectionId, `章节 ${sectionId} 已锁定（locked）${what}`);
    if (editor.role === 'lead') return null;
    if (!rule || rule.departmentId !== editor.departmentId) return refuse(sectionId, `章节 ${sectionId} 不属于本部门（not your section）${what}`);
    return null;
  };
  for (const sectionId of scope.sections) {
    const verdict = check(sectionId, '');
    if (verdict) return verdict;
  }
  for (const tableId of scope.tables) {
    const sectionId = sectionOfTable(tableId);
    if (sectionId === null) {
      if (editor.role === 'lead') continue;
      return refuse(null, `附表 ${tableId} 不在任何章节中（table not placed in a section）`);
    }
    const verdict = check(sectionId, `，附表 ${tableId}`);
    if (verdict) return verdict;
  }
  return { allowed: true };
}
