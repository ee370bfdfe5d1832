import type { Dispatcher } from 'undici';
import { lazyDependency } from '../../lazy-dependency.js';
import { PrivateAddressError } from '../../net/dispatcher.js';
import { parseRetryAfter } from '../../net/retry-after.js';
import { maskUrl } from '../../log/logger.js';
import { truncate } from '../../text/truncate.js';
import { DeliveryError } from '../delivery-error.js';

const undici = lazyDependency<typeof import('undici')>('undici');

/** How every HTTP channel talks to its receiver; one value per config generation, from the daemon. */
export interface HttpOptions {
  timeoutMs: number;
  /** From `createDispatcher`: carries `network.deny_private`. */
  dispatcher?: Dispatcher;
}

export interface HttpPost extends HttpOptions {
  url: string;
  body: string;
  contentType: string;
  headers?: Record<string, string>;
  /** Some services (Telegram) say how long to wait in the JSON body rather than in Retry-After. */
  retryAfterFromBody?: (body: string) => number | undefined;
}

const ERROR_EXCERPT = 300;

/** The first bytes of a body; leaving the loop early destroys the rest of the stream. */
async function readStart(body: AsyncIterable<Buffer>, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= maxBytes) break;
  }
  return Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8');
}

/** HTTP answer -> retry decision, shared by every HTTP-based channel. */
function classifyHttpStatus(status: number, target: string, retryAfterMs?: number): DeliveryError | undefined {
  if (status >= 200 && status < 300) return undefined;
  const retryable = status === 408 || status === 429 || status >= 500 || (status >= 300 && status < 400);
  const why = status >= 300 && status < 400 ? ' (redirects are not followed for webhooks)' : '';
  return new DeliveryError(`${target} answered HTTP ${status}${why}`, retryable, retryAfterMs, status);
}

/**
 * One POST attempt; any non-2xx (redirects included) is a failed attempt. Errors name the target by
 * origin only: for Slack, Discord, Telegram and ntfy the path is the secret.
 */
export async function postHttp(req: HttpPost): Promise<void> {
  // One timer for the whole attempt (answer and body), as AbortSignal.timeout gave, at less cost per
  // request: AbortSignal.timeout's signal is tracked for garbage collection, which the deliver worker
  // paid on every delivery.
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException(`no answer within ${req.timeoutMs} ms`, 'TimeoutError')), req.timeoutMs);
  timer.unref();
  try {
    return await attempt(req, controller.signal);
  } finally {
    clearTimeout(timer);
  }
}

async function attempt(req: HttpPost, signal: AbortSignal): Promise<void> {
  const target = maskUrl(req.url);
  let res: Dispatcher.ResponseData;
  try {
    res = await undici().request(req.url, {
      method: 'POST',
      body: req.body,
      headers: { 'content-type': req.contentType, 'user-agent': 'newswatch/0.1', ...req.headers },
      signal,
      dispatcher: req.dispatcher,
    });
  } catch (err) {
    // The address will still be private on the next attempt.
    if (err instanceof PrivateAddressError) throw new DeliveryError(`${target}: ${err.message}`, false);
    const e = err as Error & { code?: string };
    throw new DeliveryError(
      `${target}: ${e.name === 'TimeoutError' ? `no answer within ${req.timeoutMs / 1000} s` : (e.code ?? e.message)}`,
      true,
    );
  }
  if (res.statusCode >= 200 && res.statusCode < 300) {
    await res.body.dump();
    return;
  }
  // The answer's own words ("invalid_payload", "chat not found") are what a user needs to fix it.
  const answer = await readStart(res.body, ERROR_EXCERPT * 4).catch(() => '');
  const retryAfter = parseRetryAfter(res.headers['retry-after']) ?? req.retryAfterFromBody?.(answer);
  const failure = classifyHttpStatus(res.statusCode, target, retryAfter)!;
  const excerpt = truncate(answer.replace(/\s+/g, ' ').trim(), ERROR_EXCERPT);
  if (excerpt) failure.message += `: ${excerpt}`;
  throw failure;
}

export function postJson(url: string, body: string, headers: Record<string, string>, http: HttpOptions): Promise<void> {
  return postHttp({ url, body, contentType: 'application/json', headers, ...http });
}
