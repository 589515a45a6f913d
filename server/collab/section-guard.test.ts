import { describe, expect, it } from 'vitest';
import { judgeEdit, type Editor, type EditVerdict, type SectionRule } from './section-guard.js';
import type { StructureChange, UpdateScope } from './update-scope.js';

/**
 * The demo district's owners, plus a locked section of each kind and one nobody is assigned to:
 * - overview, proactive: the lead office; problems: the lead office, locked
 * - overview-finance: finance; finance-notes: finance, locked
 * - overview-food: food
 * - other: assigned to no department
 */
const rules: ReadonlyMap<string, SectionRule> = new Map<string, SectionRule>([
  ['overview', { departmentId: 'lead', locked: false, approved: false }],
  ['proactive', { departmentId: 'lead', locked: false, approved: false }],
  ['problems', { departmentId: 'lead', locked: true, approved: false }],
  ['overview-finance', { departmentId: 'finance', locked: false, approved: false }],
  ['finance-notes', { departmentId: 'finance', locked: true, approved: false }],
  ['overview-food', { departmentId: 'food', locked: false, approved: false }],
  ['other', { departmentId: null, locked: false, approved: false }],
]);

/** Which section holds each annex table node; "loose" is in the annex but in no section. */
const tableSections = new Map<string, string>([
  ['B', 'proactive'],
  ['B@finance', 'overview-finance'],
  ['B@finance-old', 'finance-notes'],
  ['B@food', 'overview-food'],
  ['C', 'other'],
  ['D', 'problems'],
]);
const sectionOfTable = (tableId: string) => tableSections.get(tableId) ?? null;

const lead: Editor = { role: 'lead', departmentId: 'lead' };
const finance: Editor = { role: 'editor', departmentId: 'finance' };
const leadOfficeClerk: Editor = { role: 'editor', departmentId: 'lead' };
const viewer: Editor = { role: 'viewer', departmentId: 'finance' };

function scope(parts: { sections?: string[]; tables?: string[]; structure?: StructureChange[] } = {}): UpdateScope {
  return {
    sections: new Set(parts.sections ?? []),
    tables: new Set(parts.tables ?? []),
    structure: parts.structure ?? [],
    invalid: [],
    changedParents: [],
    suggestionsWritten: [],
    suggestionsRemoved: [],
    bodyChanged: false,
    annexNodesChanged: false,
    growth: new Map(),
  };
}

const deleteSection = (sectionId: string): StructureChange => ({ kind: 'delete-section', sectionId, detail: `deletes section ${sectionId}` });
const addTopLevel: StructureChange = { kind: 'add-top-level', sectionId: null, detail: 'adds a top-level node at 1:0' };

const judge = (editor: Editor, parts: Parameters<typeof scope>[0]) => judgeEdit(scope(parts), editor, rules, sectionOfTable);

const allowed: EditVerdict = { allowed: true };
const refusedIn = (sectionId: string | null) => ({ allowed: false, sectionId });
/** A verdict without its human-readable reason, for the decision table. */
const decision = (verdict: EditVerdict) => (verdict.allowed ? allowed : refusedIn(verdict.sectionId));

/** One row of the decision table, named as a sentence. */
function row(who: string, editor: Editor, target: string, verdict: EditVerdict | ReturnType<typeof refusedIn>) {
  const outcome = verdict.allowed ? 'may' : verdict.sectionId === null ? 'is refused, with no section named, to' : `is refused, naming ${verdict.sectionId}, to`;
  return [`${who} ${outcome}`, target, editor, verdict] as const;
}

describe('judging who may edit which section', () => {
  it.each([
    row('the lead office', lead, 'overview', allowed),
    row('the lead office', lead, 'overview-finance', allowed),
    row('the lead office', lead, 'other', allowed),
    row('the lead office', lead, 'not-in-the-database', allowed),
    row('the lead office', lead, 'problems', refusedIn('problems')),
    row('the lead office', lead, 'finance-notes', refusedIn('finance-notes')),
    row('a finance editor', finance, 'overview-finance', allowed),
    row('a finance editor', finance, 'overview-food', refusedIn('overview-food')),
    row('a finance editor', finance, 'overview', refusedIn('overview')),
    row('a finance editor', finance, 'other', refusedIn('other')),
    row('a finance editor', finance, 'not-in-the-database', refusedIn('not-in-the-database')),
    row('a finance editor', finance, 'finance-notes', refusedIn('finance-notes')),
    row('an editor of the lead office', leadOfficeClerk, 'overview', allowed),
    row('an editor of the lead office', leadOfficeClerk, 'overview-finance', refusedIn('overview-finance')),
    row('an editor of the lead office', leadOfficeClerk, 'problems', refusedIn('problems')),
    row('a viewer', viewer, 'overview-finance', refusedIn(null)),
    row('a viewer', viewer, 'other', refusedIn(null)),
    row('a viewer', viewer, 'problems', refusedIn(null)),
  ])('%s edit section %s', (_sentence, target, editor, verdict) => {
    expect(decision(judge(editor, { sections: [target] }))).toEqual(verdict);
  });

  it.each([
    row('the lead office', lead, 'B', allowed),
    row('the lead office', lead, 'B@finance', allowed),
    row('the lead office', lead, 'loose', allowed),
    row('the lead office', lead, 'D', refusedIn('problems')),
    row('the lead office', lead, 'B@finance-old', refusedIn('finance-notes')),
    row('a finance editor', finance, 'B@finance', allowed),
    row('a finance editor', finance, 'B@food', refusedIn('overview-food')),
    row('a finance editor', finance, 'B', refusedIn('proactive')),
    row('a finance editor', finance, 'C', refusedIn('other')),
    row('a finance editor', finance, 'B@finance-old', refusedIn('finance-notes')),
    row('a finance editor', finance, 'loose', refusedIn(null)),
    row('a viewer', viewer, 'B@finance', refusedIn(null)),
    row('a viewer', viewer, 'loose', refusedIn(null)),
  ])('%s write cells of annex table %s', (_sentence, target, editor, verdict) => {
    expect(decision(judge(editor, { tables: [target] }))).toEqual(verdict);
  });

  it.each([
    row('the lead office', lead, 'the body', allowed),
    row('a finance editor', finance, 'the body', refusedIn(null)),
    row('an editor of the lead office', leadOfficeClerk, 'the body', refusedIn(null)),
    row('a viewer', viewer, 'the body', refusedIn(null)),
  ])('%s add a top-level node to %s', (_sentence, _target, editor, verdict) => {
    expect(decision(judge(editor, { structure: [addTopLevel] }))).toEqual(verdict);
  });

  it('lets the lead office delete an unlocked section', () => {
    expect(judge(lead, { sections: ['overview-food'], structure: [deleteSection('overview-food')] })).toEqual(allowed);
  });

  it('refuses even the lead office a structure change that touches a locked section', () => {
    expect(judge(lead, { sections: ['problems'], structure: [deleteSection('problems')] })).toEqual({
      allowed: false,
      sectionId: 'problems',
      reason: '章节 problems 已锁定（locked）',
    });
  });

  it('refuses even the lead office a change to the title of a locked section', () => {
    const retitle: StructureChange = { kind: 'section-attribute', sectionId: 'problems', detail: 'changes attribute "title" of section problems' };
    expect(judge(lead, { structure: [retitle] })).toEqual({ allowed: false, sectionId: 'problems', reason: '章节 problems 已锁定（locked）' });
  });

  it('lets the lead office change the title of an unlocked section', () => {
    const retitle: StructureChange = { kind: 'section-attribute', sectionId: 'overview-food', detail: 'changes attribute "title" of section overview-food' };
    expect(judge(lead, { structure: [retitle] })).toEqual(allowed);
  });

  it('lets anyone but a viewer send an update that touches no section, table or structure', () => {
    expect(judge(lead, {})).toEqual(allowed);
    expect(judge(finance, {})).toEqual(allowed);
    expect(decision(judge(viewer, {}))).toEqual(refusedIn(null));
  });
});

describe('explaining a refusal', () => {
  it('tells a viewer the report is read-only', () => {
    expect(judge(viewer, { sections: ['overview-finance'] })).toEqual({ allowed: false, sectionId: null, reason: '只读用户不能修改报告（read-only user）' });
  });

  it('names the first structure change and its section when a department tries one', () => {
    const rename: StructureChange = { kind: 'section-attribute', sectionId: 'overview-finance', detail: 'changes attribute "title" of section overview-finance' };
    expect(judge(finance, { structure: [rename, addTopLevel] })).toEqual({
      allowed: false,
      sectionId: 'overview-finance',
      reason: '章节 overview-finance：只有政府办可以调整报告结构（structure is lead-only: changes attribute "title" of section overview-finance）',
    });
  });

  it('refuses a department’s structure change even when everything else it edits is its own', () => {
    expect(judge(finance, { sections: ['overview-finance'], tables: ['B@finance'], structure: [deleteSection('overview-finance')] })).toEqual({
      allowed: false,
      sectionId: 'overview-finance',
      reason: '章节 overview-finance：只有政府办可以调整报告结构（structure is lead-only: deletes section overview-finance）',
    });
  });

  it('names the section a department does not own', () => {
    expect(judge(finance, { sections: ['overview-finance', 'overview-food'] })).toEqual({
      allowed: false,
      sectionId: 'overview-food',
      reason: '章节 overview-food 不属于本部门（not your section）',
    });
  });

  it('names the locked section, for its own department as for anyone', () => {
    expect(judge(finance, { sections: ['finance-notes'] })).toEqual({ allowed: false, sectionId: 'finance-notes', reason: '章节 finance-notes 已锁定（locked）' });
  });

  it('names the table and the section holding it when a department writes another’s table', () => {
    expect(judge(finance, { sections: ['overview-finance'], tables: ['B@finance', 'B@food'] })).toEqual({
      allowed: false,
      sectionId: 'overview-food',
      reason: '章节 overview-food 不属于本部门（not your section），附表 B@food',
    });
  });

  it('names a table that no section holds', () => {
    expect(judge(finance, { tables: ['loose'] })).toEqual({ allowed: false, sectionId: null, reason: '附表 loose 不在任何章节中（table not placed in a section）' });
  });

  it('names a locked table’s section when even the lead office writes it', () => {
    expect(judge(lead, { tables: ['B', 'D'] })).toEqual({ allowed: false, sectionId: 'problems', reason: '章节 problems 已锁定（locked），附表 D' });
  });
});
