import { pino, type Logger } from 'pino';

export type { Logger };

/** Keys whose values are credentials wherever they appear in a log object. */
const REDACT = ['pass', 'password', 'secret', 'token', 'authorization', 'Authorization', 'cookie'].flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);

/**
 * The one logger factory: JSON lines by default (for collectors), human-readable when stdout is a
 * terminal. Components take child loggers carrying their context (feedId, ruleId, jobId).
 */
export function createLogger(opts: { level?: string; pretty?: boolean; destination?: NodeJS.WritableStream } = {}): Logger {
  const pretty = opts.pretty ?? (process.stdout.isTTY === true && !process.env.NEWSWATCH_LOG_JSON);
  const options = { level: opts.level ?? process.env.LOG_LEVEL ?? 'info', base: { name: 'newswatch' }, redact: { paths: REDACT, censor: '***' } };
  if (opts.destination) return pino(options, opts.destination as pino.DestinationStream);
  if (pretty) return pino({ ...options, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,name' } } });
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
