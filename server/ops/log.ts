/**
 * The server's log: one line per event. As JSON (`LOG_FORMAT=json`, the default of `npm run
 * serve`) an operator's tools search it by field — report, user, close code, reason, timings; in
 * the demo it reads as text. Errors carry their stack.
 */
export type LogFormat = 'json' | 'text';
export type LogLevel = 'info' | 'warn' | 'error';

export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Log {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, error: unknown, fields?: LogFields): void;
}

export function createLog(format: LogFormat, write: (line: string, level: LogLevel) => void = defaultWrite, now: () => Date = () => new Date()): Log {
  const emit = (level: LogLevel, event: string, fields: LogFields) => {
    const present = Object.entries(fields).filter(([, value]) => value !== undefined);
    if (format === 'json') {
      write(JSON.stringify({ time: now().toISOString(), level, event, ...Object.fromEntries(present) }), level);
      return;
    }
    const details = present.map(([key, value]) => (key === 'stack' ? `\n${String(value)}` : ` ${key}=${typeof value === 'string' && /\s/.test(value) ? JSON.stringify(value) : String(value)}`)).join('');
    write(`[${level}] ${event}${details}`, level);
  };
  return {
    info: (event, fields = {}) => emit('info', event, fields),
    warn: (event, fields = {}) => emit('warn', event, fields),
    error: (event, error, fields = {}) =>
      emit('error', event, { ...fields, error: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined }),
  };
}

function defaultWrite(line: string, level: LogLevel): void {
  if (level === 'info') process.stdout.write(`${line}\n`);
  else process.stderr.write(`${line}\n`);
}
