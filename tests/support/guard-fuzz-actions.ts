import fc from 'fast-check';
import { reportSchema } from '../../blocks/extensions.js';

// What a hostile department client may try, as plain data: fast-check generates, prints and
// shrinks these. Everything that depends on the live document (which element, which item id) is
// a number picked modulo what exists when the action runs, so a shrunk case still means something.
// Large values are described, not spelled out (`{ kind: 'huge', length }`), so a counterexample
// stays readable.

/** Where in the report an action aims: finance's unlocked sections, its locked one, someone else's, or anywhere. */
export type SectionTarget = 'own' | 'locked-own' | 'other' | 'anywhere';

/** An element of the report: the `pick`-th element (the section itself included) of the sections `section` names. */
export interface Target {
  section: SectionTarget;
  pick: number;
}

export type ValueSpec =
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'huge'; length: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'null' }
  | { kind: 'undefined' }
  | { kind: 'bigint'; value: number }
  | { kind: 'bytes'; length: number }
  | { kind: 'array'; items: ValueSpec[] }
  /** An object; a key "__proto__" becomes an own property, as a hostile encoder would write it. */
  | { kind: 'object'; entries: Array<[string, ValueSpec]> };

export interface AttributeSpec {
  name: string;
  value: ValueSpec;
}

/** A formatting change: a mark's key (known, unknown, or y-prosemirror's "name--hash") and its attributes, or null to end it. */
export interface MarkSpec {
  key: string;
  value: { kind: 'end' } | { kind: 'attributes'; attributes: AttributeSpec[] } | { kind: 'value'; value: ValueSpec };
  from: number;
  length: number;
}

export interface TextSpec {
  kind: 'text';
  text: string;
  /** The text this many times over: now and then enough to pass a section's size limit. */
  repeat: number;
  marks: MarkSpec[];
}

export interface TreeSpec {
  kind: 'element';
  name: string;
  attributes: AttributeSpec[];
  children: Array<TreeSpec | TextSpec>;
}

/** Edits the editor itself would make in finance's own unlocked sections: each must be accepted. */
export type HonestEdit =
  | { kind: 'type'; pick: number; offset: number; text: string }
  | { kind: 'paragraph'; pick: number; index: number; text: string }
  | { kind: 'block'; block: 'heading' | 'blockquote' | 'bulletList' | 'table' | 'codeBlock'; pick: number; index: number; text: string }
  | { kind: 'bold'; pick: number; from: number; length: number }
  | { kind: 'erase'; pick: number; from: number; length: number }
  | { kind: 'cell'; pick: number; value: number };

/** Whose Yjs client id a forged update is written under. */
export type ForeignOwner = 'food-live' | 'food' | 'lead' | 'server' | 'server-live' | 'seed' | 'finance-earlier';

export type IdPool = 'own' | 'other' | 'section' | 'annex' | 'deleted' | 'gc' | 'unknown-clock' | 'unknown-client' | 'update';

/** An id the forger points an origin or a parent at: the `pick`-th of a pool of the report's (or the update's) ids. */
export interface IdChoice {
  pool: IdPool;
  pick: number;
}

/** A change to one decoded struct of an update (or to its delete set), before it is encoded again. */
export type StructMutation =
  | { kind: 'origin'; struct: number; to: IdChoice | null }
  | { kind: 'right-origin'; struct: number; to: IdChoice | null }
  /** Drops both origins and names the parent outright: an item or a root (known, unknown). */
  | { kind: 'parent'; struct: number; to: IdChoice | { root: string } }
  | { kind: 'parent-sub'; struct: number; to: string | null }
  | { kind: 'content'; struct: number; to: ContentSpec }
  | { kind: 'client'; struct: number; to: IdChoice }
  | { kind: 'start-clock'; struct: number; delta: number }
  | { kind: 'skip'; struct: number; length: number }
  | { kind: 'drop'; struct: number }
  | { kind: 'duplicate'; struct: number }
  | { kind: 'delete-range'; at: IdChoice; length: number };

export type ContentSpec =
  | { kind: 'string'; text: string }
  | { kind: 'any'; values: ValueSpec[] }
  | { kind: 'format'; key: string; value: ValueSpec }
  | { kind: 'type'; type: 'element' | 'text' | 'map' | 'array' | 'ytext' | 'fragment' | 'hook'; name: string }
  | { kind: 'deleted'; length: number }
  | { kind: 'embed'; value: ValueSpec }
  | { kind: 'binary'; length: number }
  | { kind: 'json'; values: ValueSpec[] }
  | { kind: 'doc' };

export type ByteMutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; byte: number }
  | { kind: 'insert'; at: number; bytes: number[] }
  | { kind: 'remove'; at: number; length: number }
  | { kind: 'truncate'; at: number };

export type AnnexOp =
  | { kind: 'set-cell'; table: TableRef; key: KeyRef; value: ValueSpec }
  | { kind: 'nested-cell'; table: TableRef; key: KeyRef; type: 'map' | 'array' | 'element' }
  | { kind: 'replace-table'; table: TableRef }
  | { kind: 'new-table'; id: string }
  | { kind: 'delete-table'; table: TableRef }
  | { kind: 'delete-cell'; table: TableRef; key: KeyRef };

export type TableRef = { kind: 'existing'; pick: number } | { kind: 'named'; id: string };
export type KeyRef = { kind: 'existing'; pick: number } | { kind: 'named'; key: string };

export type FuzzAction =
  | { kind: 'honest'; edit: HonestEdit }
  | { kind: 'insert'; target: Target; index: number; nodes: Array<TreeSpec | TextSpec> }
  /** One element per level, each level its own transaction (the forger's Yjs would recurse otherwise). */
  | { kind: 'nest'; target: Target; name: string; depth: number; leaf: 'none' | 'paragraph' | 'text' }
  | { kind: 'attributes'; target: Target; attributes: AttributeSpec[] }
  | { kind: 'format'; target: Target; marks: MarkSpec[]; toggles: number }
  | { kind: 'delete'; scope: 'element' | 'text' | 'body' | 'annex' | 'annex-cells'; target: Target; from: number; length: number }
  | { kind: 'annex'; op: AnnexOp }
  /**
   * An honest edit, written under `writeAs`'s client id (or finance's own), its first structs moved
   * back `overlap` clocks into what the server already has, then mutated struct by struct.
   */
  | { kind: 'structs'; base: HonestEdit; writeAs: ForeignOwner | null; overlap: number; mutations: StructMutation[] }
  | { kind: 'bytes'; base: HonestEdit; mutations: ByteMutation[]; envelope: boolean }
  | { kind: 'foreign-client'; owner: ForeignOwner; edit: HonestEdit }
  /** Sends again an update sent earlier in the run (accepted or refused), as an update or as SyncStep2. */
  | { kind: 'replay'; pick: number; as: 'update' | 'sync-step-2' }
  | { kind: 'suggestion'; op: SuggestionOp };

/**
 * A suggestion (blocks/suggestions.ts) written into the report's suggestions map: under finance's
 * own key or someone else's, about words of a text in some section, signed as finance — unless one
 * field is forged — or a pending suggestion withdrawn.
 */
export type SuggestionOp =
  | {
      kind: 'write';
      key: 'own' | 'food' | 'lead' | 'garbage';
      target: Target;
      from: number;
      length: number;
      text: string;
      /** The field replaced after the entry is made, and by what (an end moved into another paragraph: 'elsewhere'). */
      forge: null | { field: 'author' | 'department' | 'color' | 'at' | 'sectionId' | 'quote' | 'from' | 'to' | 'extra'; value: ValueSpec | 'elsewhere' };
    }
  | { kind: 'withdraw'; pick: number };

export interface FuzzPlan {
  /** Yjs client ids of the run's clients derive from it, so a case replays exactly. */
  clientSeed: number;
  actions: FuzzAction[];
}

export const FUZZ_ACTION_KINDS = ['honest', 'insert', 'nest', 'attributes', 'format', 'delete', 'annex', 'structs', 'bytes', 'foreign-client', 'replay', 'suggestion'] as const;
export type FuzzActionKind = (typeof FUZZ_ACTION_KINDS)[number];

// ——— names and values

const schemaNodeNames = Object.keys(reportSchema.nodes);
const schemaMarkNames = Object.keys(reportSchema.marks);
const schemaAttributeNames = [
  ...new Set([...Object.values(reportSchema.nodes), ...Object.values(reportSchema.marks)].flatMap((type) => Object.keys((type as unknown as { attrs: object }).attrs))),
];
/** Names no schema has, and names that are special to JavaScript objects. */
const garbageNames = ['', 'script', 'iframe', 'div', 'SECTION', 'Paragraph', 'style', 'onclick', 'data-x', '__proto__', 'constructor', 'toString', 'ychange', 'x'.repeat(300), '章节'];

export const nodeName = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...schemaNodeNames) }, { weight: 1, arbitrary: fc.constantFrom(...garbageNames) });
const attributeName = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...schemaAttributeNames) }, { weight: 1, arbitrary: fc.constantFrom(...garbageNames) });
const markKey = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...schemaMarkNames) },
  { weight: 1, arbitrary: fc.constantFrom(...schemaMarkNames.map((name) => `${name}--AbCd1234`), 'link--', 'bold--x') },
  { weight: 1, arbitrary: fc.constantFrom(...garbageNames) },
);

const cssish = [
  'left; position: fixed; inset: 0; background: url(http://attacker.example/x)',
  'center" onmouseover="alert(1)',
  'javascript:alert(1)',
  'https://www.gov.cn',
  'mailto:office@example.gov.cn',
  'B/new:total',
  'B@food/new:natural',
  'noopener noreferrer nofollow',
  '_blank',
  'overview-food',
  'overview-finance',
  'A',
  'B@food',
  '1',
  'i',
];

const leafValues = [
  { weight: 4, arbitrary: fc.oneof(fc.integer({ min: -2, max: 40 }), fc.constantFrom(-1, 0, 31, 4001, 100_001, 2 ** 31, 2 ** 53, -(2 ** 31))).map((value) => ({ kind: 'int' as const, value })) },
  { weight: 1, arbitrary: fc.constantFrom(0.5, -0, Number.NaN, Number.POSITIVE_INFINITY, 1e21, 3.0000001).map((value) => ({ kind: 'float' as const, value })) },
  { weight: 4, arbitrary: fc.oneof(fc.constantFrom(...cssish), fc.string({ maxLength: 12 })).map((value) => ({ kind: 'string' as const, value })) },
  { weight: 1, arbitrary: fc.constantFrom(201, 2049, 70_000, 1024 * 1024).map((length) => ({ kind: 'huge' as const, length })) },
  { weight: 1, arbitrary: fc.boolean().map((value) => ({ kind: 'bool' as const, value })) },
  { weight: 1, arbitrary: fc.constantFrom({ kind: 'null' as const }, { kind: 'undefined' as const }) },
  { weight: 1, arbitrary: fc.integer().map((value) => ({ kind: 'bigint' as const, value })) },
  { weight: 1, arbitrary: fc.nat({ max: 64 }).map((length) => ({ kind: 'bytes' as const, length })) },
];

/** Values of any type, nested a little: what a hostile encoder can put in an attribute or a cell. */
function values(json: boolean): fc.Arbitrary<ValueSpec> {
  // Formatting travels as JSON, which has no bigint: the forger's own Yjs could not send one.
  const leaves = json ? leafValues.filter((_, i) => i !== 6) : leafValues;
  return fc.letrec<{ value: ValueSpec }>((tie) => ({
    value: fc.oneof(
      { maxDepth: 3, depthSize: 'small' },
      { weight: 6, arbitrary: fc.oneof(...leaves) },
      { weight: 1, arbitrary: fc.array(tie('value'), { maxLength: 4 }).map((items) => ({ kind: 'array' as const, items })) },
      {
        weight: 1,
        arbitrary: fc
          .array(fc.tuple(fc.oneof(attributeName, fc.constantFrom('__proto__', 'href', 'title', 'class')), tie('value')), { maxLength: 4 })
          .map((entries) => ({ kind: 'object' as const, entries })),
      },
    ),
  })).value;
}

export const valueSpec = values(false);
const jsonValueSpec = values(true);

const attributeSpec: fc.Arbitrary<AttributeSpec> = fc.record({ name: attributeName, value: valueSpec });
const jsonAttributeSpec: fc.Arbitrary<AttributeSpec> = fc.record({ name: attributeName, value: jsonValueSpec });

const markSpec: fc.Arbitrary<MarkSpec> = fc.record({
  key: markKey,
  value: fc.oneof(
    { weight: 1, arbitrary: fc.constant({ kind: 'end' as const }) },
    { weight: 4, arbitrary: fc.array(jsonAttributeSpec, { maxLength: 3 }).map((attributes) => ({ kind: 'attributes' as const, attributes })) },
    { weight: 1, arbitrary: jsonValueSpec.map((value) => ({ kind: 'value' as const, value })) },
  ),
  from: fc.nat({ max: 200 }),
  length: fc.integer({ min: 1, max: 40 }),
});

const plainText = fc.oneof(fc.constantFrom('财政', '本年度公开预算', 'x', '', '\n', '\u0000', '😀', 'a'.repeat(50)), fc.string({ maxLength: 20 }));

const textSpec: fc.Arbitrary<TextSpec> = fc.record({
  kind: fc.constant('text' as const),
  text: plainText,
  repeat: fc.oneof({ weight: 30, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.constantFrom(20_000, 150_000, 310_000) }),
  marks: fc.array(markSpec, { maxLength: 2 }),
});

/** Random structures: schema and garbage names, random attributes, text with random marks, a few levels deep. */
export const treeSpec: fc.Arbitrary<TreeSpec> = fc.letrec<{ tree: TreeSpec; child: TreeSpec | TextSpec }>((tie) => ({
  tree: fc.record({
    kind: fc.constant('element' as const),
    name: nodeName,
    attributes: fc.array(attributeSpec, { maxLength: 3 }),
    children: fc.array(tie('child'), { maxLength: 3 }),
  }),
  child: fc.oneof({ maxDepth: 5, depthSize: 'small' }, textSpec, tie('tree')),
})).tree;

/** A cell's span: mostly in range, sometimes at or past the limit, or absurd. */
const span = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 1, max: 12 }) }, { weight: 1, arbitrary: fc.constantFrom(0, -1, 30, 31, 1000, 20_000_000) });

const cellSpecOf = (spans: fc.Arbitrary<number>): fc.Arbitrary<TreeSpec> => fc
  .record({
    name: fc.constantFrom('tableCell', 'tableCell', 'tableHeader'),
    colspan: spans,
    rowspan: spans,
    colwidth: fc.option(fc.array(fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 0, max: 400 }) }, { weight: 1, arbitrary: fc.constant(5000) }), { maxLength: 4 }), { freq: 2 }),
    text: plainText,
  })
  .map(({ name, colspan, rowspan, colwidth, text }) => ({
    kind: 'element' as const,
    name,
    attributes: [
      { name: 'colspan', value: { kind: 'int' as const, value: colspan } },
      { name: 'rowspan', value: { kind: 'int' as const, value: rowspan } },
      { name: 'colwidth', value: colwidth === null ? { kind: 'null' as const } : { kind: 'array' as const, items: colwidth.map((value) => ({ kind: 'int' as const, value })) } },
    ],
    children: [{ kind: 'element' as const, name: 'paragraph', attributes: [], children: [{ kind: 'text' as const, text, repeat: 1, marks: [] }] }],
  }));

/** A table of a few rows with random spans and widths: the shapes that stall an editor laying it out. */
function tableSpecOf(spans: fc.Arbitrary<number>): fc.Arbitrary<TreeSpec> {
  return fc.array(fc.array(cellSpecOf(spans), { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 3 }).map((rows) => ({
    kind: 'element' as const,
    name: 'table',
    attributes: [],
    children: rows.map((cells) => ({ kind: 'element' as const, name: 'tableRow', attributes: [], children: cells })),
  }));
}

export const tableSpec = tableSpecOf(span);

// ——— content shaped by the schema: mostly what an editor could hold, so that what the guard
// accepts (and repairs, and measures) is exercised too, not only what it refuses at the door.

const int = (value: number): ValueSpec => ({ kind: 'int', value });
const str = (value: string): ValueSpec => ({ kind: 'string', value });
const element = (name: string, attributes: AttributeSpec[], children: Array<TreeSpec | TextSpec>): TreeSpec => ({ kind: 'element', name, attributes, children });

const editorMark: fc.Arbitrary<MarkSpec> = fc.record({
  key: fc.constantFrom('bold', 'italic', 'strike', 'code', 'underline', 'link'),
  from: fc.nat({ max: 40 }),
  length: fc.integer({ min: 1, max: 20 }),
  href: fc.constantFrom('https://www.gov.cn', 'mailto:office@example.gov.cn', 'http://example.gov.cn/a?b=c'),
}).map(({ key, from, length, href }) => ({
  key,
  from,
  length,
  value: { kind: 'attributes' as const, attributes: key === 'link' ? [{ name: 'href', value: str(href) }] : [] },
}));

const editorText: fc.Arbitrary<TextSpec> = fc.record({
  kind: fc.constant('text' as const),
  text: fc.constantFrom('本年度公开预算', '财政', '共收到申请 124 件', 'x'),
  repeat: fc.oneof({ weight: 20, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.constantFrom(20_000, 150_000, 310_000) }),
  marks: fc.array(editorMark, { maxLength: 2 }),
});

const inline: fc.Arbitrary<TreeSpec | TextSpec> = fc.oneof(
  { weight: 6, arbitrary: editorText },
  { weight: 1, arbitrary: fc.constant(element('hardBreak', [], [])) },
  { weight: 1, arbitrary: fc.constantFrom('B/new:total', 'B/granted:total', 'B@finance/new:natural').map((cell) => element('annexFigure', [{ name: 'cell', value: str(cell) }, { name: 'decimals', value: int(1) }], [])) },
);

const paragraphOf = (children: Array<TreeSpec | TextSpec>) => element('paragraph', [], children);

/** A block as the editor makes it: paragraphs, headings, quotes, lists, code, rules and tables, a few levels deep. */
export const schemaBlock: fc.Arbitrary<TreeSpec> = fc.letrec<{ block: TreeSpec }>((tie) => {
  const blocks = fc.array(tie('block'), { minLength: 1, maxLength: 3 });
  const listItem = fc.tuple(fc.array(inline, { maxLength: 3 }), fc.array(tie('block'), { maxLength: 1 })).map(([first, rest]) => element('listItem', [], [paragraphOf(first), ...rest]));
  return {
    block: fc.oneof(
      { maxDepth: 4, depthSize: 'small', withCrossShrink: true },
      { weight: 6, arbitrary: fc.array(inline, { maxLength: 4 }).map(paragraphOf) },
      { weight: 2, arbitrary: fc.tuple(fc.constantFrom(3, 4), fc.array(inline, { maxLength: 2 })).map(([level, children]) => element('heading', [{ name: 'level', value: int(level) }], children)) },
      { weight: 1, arbitrary: blocks.map((children) => element('blockquote', [], children)) },
      { weight: 1, arbitrary: fc.array(listItem, { minLength: 1, maxLength: 3 }).map((items) => element('bulletList', [], items)) },
      {
        weight: 1,
        arbitrary: fc
          .tuple(fc.integer({ min: 0, max: 100 }), fc.array(listItem, { minLength: 1, maxLength: 2 }))
          .map(([start, items]) => element('orderedList', [{ name: 'start', value: int(start) }, { name: 'type', value: { kind: 'null' } }], items)),
      },
      { weight: 1, arbitrary: fc.constantFrom('ts', 'sql', 'c++').map((language) => element('codeBlock', [{ name: 'language', value: str(language) }], [{ kind: 'text', text: 'select 1', repeat: 1, marks: [] }])) },
      { weight: 1, arbitrary: fc.constant(element('horizontalRule', [], [])) },
      { weight: 1, arbitrary: tableSpecOf(fc.integer({ min: 1, max: 10 })) },
    ),
  };
}).block;

const sectionTarget = fc.constantFrom<SectionTarget>('own', 'own', 'locked-own', 'other', 'anywhere');
const target: fc.Arbitrary<Target> = fc.record({ section: sectionTarget, pick: fc.nat({ max: 500 }) });

export const honestEdit: fc.Arbitrary<HonestEdit> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('type' as const), pick: fc.nat(), offset: fc.nat({ max: 400 }), text: fc.constantFrom('财', '政', '预算', '公开。', 'ab') }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('paragraph' as const), pick: fc.nat(), index: fc.nat({ max: 20 }), text: fc.constantFrom('本年度，我局及时公开部门预决算。', '新增段落') }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('block' as const),
      block: fc.constantFrom('heading' as const, 'blockquote' as const, 'bulletList' as const, 'table' as const, 'codeBlock' as const),
      pick: fc.nat(),
      index: fc.nat({ max: 20 }),
      text: fc.constantFrom('小结', '一、预算公开'),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('bold' as const), pick: fc.nat(), from: fc.nat({ max: 200 }), length: fc.integer({ min: 1, max: 10 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('erase' as const), pick: fc.nat(), from: fc.nat({ max: 200 }), length: fc.integer({ min: 1, max: 10 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cell' as const), pick: fc.nat(), value: fc.integer({ min: 0, max: 100_000 }) }) },
);

const idChoice: fc.Arbitrary<IdChoice> = fc.record({
  pool: fc.constantFrom<IdPool>('own', 'other', 'other', 'section', 'annex', 'deleted', 'gc', 'unknown-clock', 'unknown-client', 'update', 'update'),
  pick: fc.nat(),
});

const contentSpec: fc.Arbitrary<ContentSpec> = fc.oneof(
  fc.record({ kind: fc.constant('string' as const), text: plainText }),
  fc.record({ kind: fc.constant('any' as const), values: fc.array(valueSpec, { minLength: 1, maxLength: 3 }) }),
  fc.record({ kind: fc.constant('format' as const), key: markKey, value: jsonValueSpec }),
  fc.record({ kind: fc.constant('type' as const), type: fc.constantFrom('element' as const, 'text' as const, 'map' as const, 'array' as const, 'ytext' as const, 'fragment' as const, 'hook' as const), name: nodeName }),
  fc.record({ kind: fc.constant('deleted' as const), length: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ kind: fc.constant('embed' as const), value: jsonValueSpec }),
  fc.record({ kind: fc.constant('binary' as const), length: fc.nat({ max: 16 }) }),
  fc.record({ kind: fc.constant('json' as const), values: fc.array(jsonValueSpec, { minLength: 1, maxLength: 2 }) }),
  fc.constant({ kind: 'doc' as const }),
);

const structIndex = fc.nat({ max: 50 });

export const structMutation: fc.Arbitrary<StructMutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('origin' as const), struct: structIndex, to: fc.option(idChoice, { freq: 8 }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('right-origin' as const), struct: structIndex, to: fc.option(idChoice, { freq: 8 }) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('parent' as const),
      struct: structIndex,
      to: fc.oneof({ weight: 4, arbitrary: idChoice }, { weight: 1, arbitrary: fc.record({ root: fc.constantFrom('body', 'annex', 'comments', '', '__proto__') }) }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('parent-sub' as const), struct: structIndex, to: fc.option(fc.oneof(attributeName, fc.constantFrom('new:natural', 'B@food', 'sectionId')), { freq: 4 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('content' as const), struct: structIndex, to: contentSpec }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('client' as const), struct: structIndex, to: idChoice }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('start-clock' as const), struct: structIndex, delta: fc.integer({ min: -5, max: 5 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('skip' as const), struct: structIndex, length: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop' as const), struct: structIndex }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), struct: structIndex }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete-range' as const), at: idChoice, length: fc.oneof(fc.integer({ min: 1, max: 20 }), fc.constantFrom(1000, 2 ** 31)) }) },
);

const byteMutation: fc.Arbitrary<ByteMutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat({ max: 7 }) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: fc.constantFrom(0, 1, 0x7f, 0x80, 0xff, 119, 118, 7) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.array(fc.nat({ max: 255 }), { minLength: 1, maxLength: 6 }) }),
  fc.record({ kind: fc.constant('remove' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

const tableRef: fc.Arbitrary<TableRef> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('existing' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('named' as const), id: fc.constantFrom('B@finance', 'B@food', 'C@food', 'B@env', 'A', 'Z', '', '__proto__') }) },
);
const keyRef: fc.Arbitrary<KeyRef> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('existing' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('named' as const), key: fc.constantFrom('new:natural', 'new:subtotal', 'x:y', 'total', '', '__proto__', 'a'.repeat(70) + ':b') }) },
);

const annexOp: fc.Arbitrary<AnnexOp> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('set-cell' as const), table: tableRef, key: keyRef, value: fc.oneof({ weight: 2, arbitrary: fc.integer().map((value) => ({ kind: 'int' as const, value })) }, valueSpec) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('nested-cell' as const), table: tableRef, key: keyRef, type: fc.constantFrom('map' as const, 'array' as const, 'element' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('replace-table' as const), table: tableRef }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('new-table' as const), id: fc.constantFrom('B@finance2', 'Z', 'B@env', '') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete-table' as const), table: tableRef }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete-cell' as const), table: tableRef, key: keyRef }) },
);

const suggestionOp: fc.Arbitrary<SuggestionOp> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('write' as const),
      key: fc.constantFrom('own' as const, 'own' as const, 'own' as const, 'food' as const, 'lead' as const, 'garbage' as const),
      target,
      from: fc.nat({ max: 300 }),
      length: fc.nat({ max: 12 }),
      text: fc.oneof(fc.constantFrom('', '建议', '全年', '<b>粗</b>', '甲\n乙段', '段\n'.repeat(21), '隐\u0000藏'), fc.string({ maxLength: 20 }), fc.constant('长'.repeat(2001))),
      forge: fc.oneof(
        { weight: 3, arbitrary: fc.constant(null) },
        {
          weight: 2,
          arbitrary: fc.record({
            field: fc.constantFrom('author' as const, 'department' as const, 'color' as const, 'at' as const, 'sectionId' as const, 'quote' as const, 'from' as const, 'to' as const, 'extra' as const),
            value: fc.oneof({ weight: 1, arbitrary: fc.constant('elsewhere' as const) }, { weight: 3, arbitrary: valueSpec }),
          }),
        },
      ),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('withdraw' as const), pick: fc.nat() }) },
);

const foreignOwner = fc.constantFrom<ForeignOwner>('food-live', 'food', 'lead', 'server', 'server-live', 'seed', 'finance-earlier');

/** Nesting depth: usually around the limit, now and then thousands (the checks must not recurse). */
const nestDepth = fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 2, max: 40 }) }, { weight: 1, arbitrary: fc.constant(3000) });

const arbitraries: Record<FuzzActionKind, { weight: number; arbitrary: fc.Arbitrary<FuzzAction> }> = {
  honest: { weight: 4, arbitrary: honestEdit.map((edit) => ({ kind: 'honest' as const, edit })) },
  insert: {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('insert' as const),
      target,
      index: fc.nat({ max: 50 }),
      nodes: fc.array(fc.oneof({ weight: 3, arbitrary: schemaBlock }, { weight: 2, arbitrary: treeSpec }, { weight: 1, arbitrary: textSpec }, { weight: 1, arbitrary: tableSpec }), { minLength: 1, maxLength: 3 }),
    }),
  },
  nest: {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('nest' as const),
      target,
      name: fc.oneof({ weight: 3, arbitrary: fc.constantFrom('blockquote', 'bulletList', 'listItem', 'tableCell') }, { weight: 1, arbitrary: nodeName }),
      depth: nestDepth,
      leaf: fc.constantFrom('none' as const, 'paragraph' as const, 'text' as const),
    }),
  },
  attributes: { weight: 3, arbitrary: fc.record({ kind: fc.constant('attributes' as const), target, attributes: fc.array(attributeSpec, { minLength: 1, maxLength: 3 }) }) },
  format: {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('format' as const),
      target,
      marks: fc.array(markSpec, { minLength: 1, maxLength: 3 }),
      toggles: fc.oneof({ weight: 8, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.integer({ min: 1, max: 60 }) }, { weight: 1, arbitrary: fc.constant(2100) }),
    }),
  },
  delete: {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('delete' as const),
      scope: fc.constantFrom('element' as const, 'element' as const, 'text' as const, 'text' as const, 'body' as const, 'annex' as const, 'annex-cells' as const),
      target,
      from: fc.nat({ max: 400 }),
      length: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.constant(1000)),
    }),
  },
  annex: { weight: 3, arbitrary: annexOp.map((op) => ({ kind: 'annex' as const, op })) },
  structs: {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('structs' as const),
      base: honestEdit,
      writeAs: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 2, arbitrary: foreignOwner }),
      overlap: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 }) }),
      mutations: fc.array(structMutation, { maxLength: 4 }),
    }),
  },
  bytes: { weight: 2, arbitrary: fc.record({ kind: fc.constant('bytes' as const), base: honestEdit, mutations: fc.array(byteMutation, { minLength: 1, maxLength: 3 }), envelope: fc.boolean() }) },
  'foreign-client': {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('foreign-client' as const),
      owner: foreignOwner,
      edit: honestEdit,
    }),
  },
  replay: { weight: 2, arbitrary: fc.record({ kind: fc.constant('replay' as const), pick: fc.nat(), as: fc.constantFrom('update' as const, 'sync-step-2' as const) }) },
  suggestion: { weight: 3, arbitrary: suggestionOp.map((op) => ({ kind: 'suggestion' as const, op })) },
};

/** One hostile (or honest) action; `kinds` narrows the mix (FUZZ_KINDS, for chasing one kind of bug). */
export function fuzzAction(kinds: readonly FuzzActionKind[] = FUZZ_ACTION_KINDS): fc.Arbitrary<FuzzAction> {
  return fc.oneof(...kinds.map((kind) => arbitraries[kind]));
}

export function fuzzPlan(maxActions: number, kinds?: readonly FuzzActionKind[]): fc.Arbitrary<FuzzPlan> {
  return fc.record({ clientSeed: fc.integer({ min: 1, max: 2 ** 30 }), actions: fc.array(fuzzAction(kinds), { minLength: 1, maxLength: maxActions }) });
}
