type Level = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Structured JSON logs (one line per event) carrying the request id, as Workers Logs indexes them. */
export function createLogger(requestId: string): Logger {
  const write = (level: Level, message: string, fields?: Record<string, unknown>) => {
    const line = JSON.stringify({ level, message, requestId, ...fields });
    if (level === 'error') console.error(line);
    else if (level === 'warn') console.warn(line);
    else console.log(line);
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}

/** The loggable parts of an unknown thrown value (never its SQL parameters). */
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: String(error) };
  const out: Record<string, unknown> = { error: error.message, name: error.name, stack: error.stack };
  if (error.cause instanceof Error) out.cause = { name: error.cause.name, message: error.cause.message };
  return out;
}
