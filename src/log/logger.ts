import { pino, type Logger } from 'pino';

export type { Logger };

/** Keys whose values are credentials wherever they appear in a log object. */
const REDACT = ['pass', 'password', 'secret', 'token', 'authorization', 'Authorization', 'cookie'].flatMap((k) => [
  k,
  `*.${k}`,
  `*.*.${k}`,
]);

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export class LogLevelError extends Error {}

/** LOG_LEVEL from the environment, checked: it overrides settings.yaml `log.level` when set. */
export function envLogLevel(env: NodeJS.ProcessEnv = process.env): LogLevel | undefined {
  const level = env.LOG_LEVEL?.trim().toLowerCase();
  if (!level) return undefined;
  if (!(LOG_LEVELS as readonly string[]).includes(level))
    throw new LogLevelError(`LOG_LEVEL "${env.LOG_LEVEL}" is not a log level: use one of ${LOG_LEVELS.join(', ')}`);
  return level as LogLevel;
}

/** Human-readable when stdout is a terminal (unless NEWSWATCH_LOG_JSON is set), else JSON lines on stdout. */
export function logsArePretty(): boolean {
  return process.stdout.isTTY === true && !process.env.NEWSWATCH_LOG_JSON;
}

/**
 * The one logger factory: JSON lines by default (for collectors), human-readable when stdout is a
 * terminal, one line per event with its fields inline. Components take child loggers carrying their
 * context (feedId, ruleId, jobId).
 */
export function createLogger(opts: { level?: string; pretty?: boolean; destination?: NodeJS.WritableStream } = {}): Logger {
  const pretty = opts.pretty ?? logsArePretty();
  const options = { level: opts.level ?? envLogLevel() ?? 'info', base: { name: 'newswatch' }, redact: { paths: REDACT, censor: '***' } };
  if (opts.destination) return pino(options, opts.destination as pino.DestinationStream);
  if (pretty)
    return pino({
      ...options,
      transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,name', singleLine: true } },
    });
  return pino(options);
}

/** `redis://user:secret@host:6379/0` -> `redis://user:***@host:6379/0`; webhook paths (which are often the secret, as with Slack) are cut. */
export function maskUrl(url: string, keepPath = false): string {
  try {
    const u = new URL(url);
    const auth = u.username ? `${u.username}${u.password ? ':***' : ''}@` : '';
    const path = keepPath || u.pathname.length <= 1 ? u.pathname : '/…';
    return `${u.protocol}//${auth}${u.host}${path}${u.search ? '?…' : ''}`;
  } catch {
    return '<invalid url>';
  }
}
