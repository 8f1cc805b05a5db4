import pino, { type Logger } from 'pino';

export type { Logger };

/** Whether createLogger prints for people (pretty) with these settings: LOG_PRETTY, else whether stdout is a terminal. */
export function isPretty(pretty: boolean | undefined, isTTY = Boolean(process.stdout.isTTY)): boolean {
  return pretty ?? isTTY;
}

/**
 * The process logger. Pretty and coloured for people when stdout is a terminal (or LOG_PRETTY=1),
 * JSON lines for machines otherwise (or LOG_PRETTY=0); `pretty` undefined means "decide by the
 * terminal". Pretty printing runs in pino's worker thread, off the event loop.
 */
export function createLogger(level: string, pretty: boolean | undefined, isTTY = Boolean(process.stdout.isTTY)): Logger {
  const usePretty = isPretty(pretty, isTTY);
  return pino({
    level,
    base: { service: 'geofleet' },
    timestamp: pino.stdTimeFunctions.isoTime,
    ...(usePretty
      ? {
          transport: {
            target: 'pino-pretty',
            // The worker thread's stdout is no terminal: colour is decided here.
            options: { colorize: isTTY, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service' },
          },
        }
      : {}),
  });
}
