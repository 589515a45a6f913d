/** How each figure is handed over: one row with its value (units included) and its target. */
export type RecordFigure = (figure: string, value: string, target?: string) => void;

export function ms(value: number): string {
  return value < 1 ? `${value.toFixed(3)} ms` : value < 100 ? `${value.toFixed(1)} ms` : `${Math.round(value).toLocaleString('en')} ms`;
}

export function bytes(value: number): string {
  if (value < 1024) return `${Math.round(value)} B`;
  if (value < 1024 ** 2) return `${(value / 1024).toFixed(1)} KiB`;
  return `${(value / 1024 ** 2).toFixed(2)} MiB`;
}

export function count(value: number): string {
  return Math.round(value).toLocaleString('en');
}

export function times(ratio: number): string {
  return `${ratio < 10 ? ratio.toFixed(2) : Math.round(ratio).toLocaleString('en')}×`;
}

/** The value as printed, marked when it misses its target. */
export function judged(value: string, met: boolean): string {
  return met ? value : `${value} — MISSED`;
}
