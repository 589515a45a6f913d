import type { AnyExtension, Attribute, Node } from '@tiptap/core';
import { contentLimits } from './content-limits.js';
import { describeValue } from './describe-value.js';

/**
 * The value every attribute of the stock nodes and marks may take. The report's own nodes
 * (section, annex table, linked figure) declare theirs beside their definition; these are for
 * the nodes and marks the editor takes from Tiptap, which validate nothing by themselves. A
 * rule becomes the attribute's `validate`, so the editor, the server's guard and the renderer
 * all judge by the schema built from the same extensions. A value the browser would draw
 * (a cell's alignment becomes inline CSS) can only be one the rule names.
 */

/** Throws a RangeError naming the attribute and the value when `value` is not allowed. */
export type AttributeCheck = (value: unknown) => void;

interface AttributeRule {
  validate: AttributeCheck;
  /** Replaces the stock default where that default breaks the rule (a heading level 1). */
  default?: unknown;
  /** Brings a pasted value inside the rule instead of failing the whole paste. */
  parse?: (element: HTMLElement) => unknown;
}

function fail(what: string, expected: string, value: unknown): never {
  throw new RangeError(`${what} must be ${expected}, got ${describeValue(value)}`);
}

const oneOf =
  (what: string, values: readonly unknown[]): AttributeCheck =>
  (value) => {
    if (!values.includes(value)) fail(what, `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`, value);
  };

const integer =
  (what: string, min: number, max: number): AttributeCheck =>
  (value) => {
    if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) fail(what, `an integer from ${min} to ${max}`, value);
  };

const text =
  (what: string, maxLength: number, pattern?: RegExp): AttributeCheck =>
  (value) => {
    if (typeof value !== 'string' || value.length > maxLength) fail(what, `text of at most ${maxLength} characters`, value);
    if (pattern && !pattern.test(value)) fail(what, `text matching ${pattern}`, value);
  };

const nullable =
  (check: AttributeCheck): AttributeCheck =>
  (value) => {
    if (value !== null) check(value);
  };

/** Link addresses the published report keeps: web pages and e-mail, nothing that runs code. */
export function isAllowedLinkHref(href: unknown): boolean {
  return typeof href === 'string' && href.length <= contentLimits.maxAttributeLength && /^(https?:\/\/|mailto:)[^\s<>"]+$/i.test(href.trim());
}

const linkHref: AttributeCheck = (value) => {
  if (!isAllowedLinkHref(value)) fail('link: href', `an http(s) or mailto address of at most ${contentLimits.maxAttributeLength} characters`, value);
};

const columnWidths: AttributeCheck = (value) => {
  const ok =
    Array.isArray(value) &&
    value.length <= contentLimits.maxCellSpan &&
    value.every((width) => Number.isInteger(width) && width >= 0 && width <= contentLimits.maxColumnWidth);
  if (!ok) fail('table cell: colwidth', `null or at most ${contentLimits.maxCellSpan} widths of 0–${contentLimits.maxColumnWidth} px`, value);
};

/** A span read from pasted HTML, kept within the limit (a sheet pasted from Excel may merge more). */
const parseSpan = (name: 'colspan' | 'rowspan') => (element: HTMLElement) => {
  const span = Number.parseInt(element.getAttribute(name) ?? '1', 10);
  return Number.isInteger(span) && span >= 1 ? Math.min(span, contentLimits.maxCellSpan) : 1;
};

const codeLanguage = nullable(text('code block: language', 32, /^[A-Za-z0-9_+#.-]*$/));

/** A pasted block's language from its `language-…` class, or none when the class is not one. */
const parseCodeLanguage = (element: HTMLElement) => {
  const named = [...(element.firstElementChild?.classList ?? []), ...element.classList].find((name) => name.startsWith('language-'));
  const language = named?.slice('language-'.length) ?? null;
  try {
    codeLanguage(language);
    return language;
  } catch {
    return null;
  }
};

const cellRules = (node: string): Record<string, AttributeRule> => ({
  colspan: { validate: integer(`${node}: colspan`, 1, contentLimits.maxCellSpan), parse: parseSpan('colspan') },
  rowspan: { validate: integer(`${node}: rowspan`, 1, contentLimits.maxCellSpan), parse: parseSpan('rowspan') },
  colwidth: { validate: nullable(columnWidths) },
  align: { validate: nullable(oneOf(`${node}: align`, ['left', 'center', 'right'])) },
});

const attributeRules: Record<string, Record<string, AttributeRule>> = {
  heading: { level: { validate: oneOf('heading: level', [3, 4]), default: 3 } },
  codeBlock: { language: { validate: codeLanguage, parse: parseCodeLanguage } },
  orderedList: {
    start: { validate: integer('ordered list: start', 0, contentLimits.maxListStart) },
    type: { validate: nullable(oneOf('ordered list: type', ['1', 'a', 'A', 'i', 'I'])) },
  },
  tableCell: cellRules('table cell'),
  tableHeader: cellRules('table header'),
  link: {
    href: { validate: linkHref },
    target: { validate: nullable(oneOf('link: target', ['_blank'])) },
    rel: { validate: nullable(oneOf('link: rel', ['noopener noreferrer nofollow'])) },
    class: { validate: oneOf('link: class', [null]) },
    title: { validate: nullable(text('link: title', 200)), parse: (element) => element.getAttribute('title')?.slice(0, 200) ?? null },
  },
};

/**
 * `extension` with the rules of its attributes attached; an extension that bundles others
 * (StarterKit, TableKit) passes the rules on to each.
 */
export function withAttributeRules<T extends AnyExtension>(extension: T): T {
  if (extension.type === 'extension') {
    return extension.extend({
      addExtensions() {
        return (this.parent?.() ?? []).map(withAttributeRules);
      },
    }) as T;
  }
  const rules = attributeRules[extension.name];
  if (!rules) return extension;
  // Marks and nodes extend alike; Node's signature stands for both.
  return (extension as unknown as Node).extend({
    addAttributes() {
      const stock = (this.parent?.() ?? {}) as Record<string, Attribute>;
      const ruled: Record<string, Attribute> = { ...stock };
      for (const [name, rule] of Object.entries(rules)) {
        if (!(name in stock)) throw new Error(`attribute rule for ${extension.name}.${name}, which the extension does not have`);
        ruled[name] = {
          ...stock[name],
          validate: rule.validate,
          ...(rule.default !== undefined ? { default: rule.default } : {}),
          ...(rule.parse ? { parseHTML: rule.parse } : {}),
        };
      }
      return ruled;
    },
  }) as unknown as T;
}
