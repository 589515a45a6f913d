/**
 * Who writes the report, as far as the rules care: a province, a city divided into districts
 * (设区的市), or a county or district. Provinces and such cities may make 规章 (《立法法》第九十三条);
 * counties and districts may not, so only their reports have new 规章 questioned (rule A2).
 */
export const BODY_LEVELS = ['province', 'city', 'county'] as const;

export type BodyLevel = (typeof BODY_LEVELS)[number];

/** The product is made for districts: a report says otherwise only when its lead office does. */
export const DEFAULT_BODY_LEVEL: BodyLevel = 'county';

export function isBodyLevel(value: unknown): value is BodyLevel {
  return typeof value === 'string' && (BODY_LEVELS as readonly string[]).includes(value);
}

export function mayMakeRegulations(level: BodyLevel): boolean {
  return level !== 'county';
}
