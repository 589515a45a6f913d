import type { Language } from '../i18n.js';

/** A moment as the reader's language writes it, to the minute. */
export function formatDateTime(at: number, language: Language): string {
  return new Date(at).toLocaleString(language === 'en' ? 'en-GB' : 'zh-CN', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

/** A message with its `{name}` placeholders filled in. */
export function fillIn(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (placeholder, name: string) => (name in values ? String(values[name]) : placeholder));
}
