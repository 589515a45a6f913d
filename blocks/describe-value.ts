/**
 * A value as an error message quotes it: JSON, cut to 40 characters. A value JSON cannot write (a
 * bigint, a cycle) is named by its type — the message must never fail on what it reports.
 */
export function describeValue(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = typeof value;
  }
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** A JSON object read from a request (not an array, not null). */
export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
