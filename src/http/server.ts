import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log/logger.js';
import { HttpAuthorizer, type HttpAuthConfig } from './auth.js';
import { formatListenAddress, isLoopback, type ListenAddress } from '../net/listen-address.js';

/** What the endpoints answer with; the daemon supplies these. */
export interface HttpHandlers {
  /** Why this process is not ready; empty when it is. */
  notReadyReasons(): Promise<string[]>;
  metrics(): Promise<{ contentType: string; body: string }>;
  /** Reloads the config; `problems` (file:line: message) when it was rejected. */
  reload(): Promise<{ ok: true; generation: number } | { ok: false; problems: string[] }>;
  statusPage(): Promise<string>;
  /** Extra routes under a path prefix (the queue UI at /queues). */
  mounts?: Array<{ prefix: string; handle(req: IncomingMessage, res: ServerResponse): void }>;
}

export interface HttpListener {
  /** The bound address, HOST:PORT (the real port when 0 was asked for). */
  readonly address: string;
  close(): Promise<void>;
}

export class HttpListenError extends Error {}

/** Endpoints anyone who can reach the port may call: supervisors and load balancers probe them. */
const OPEN_PATHS = new Set(['/healthz', '/readyz']);

/**
 * Starts the operator endpoints (/healthz, /readyz, /metrics, POST /-/reload, the status page at /).
 * Binding beyond loopback without `http.auth` is refused: the status page shows feed URLs and alerts.
 */
export async function startHttpListener(opts: {
  listen: ListenAddress;
  auth?: HttpAuthConfig;
  handlers: HttpHandlers;
  log: Logger;
}): Promise<HttpListener> {
  const { listen, handlers, log } = opts;
  const where = formatListenAddress(listen);
  if (!opts.auth && !isLoopback(listen.host)) {
    throw new HttpListenError(
      `refusing to serve HTTP on ${where} without authentication: set http.auth in settings.yaml ` +
        '(bearer_token or basic user + password_hash, from an env var), or listen on loopback (127.0.0.1:9464), or set http.listen: off',
    );
  }
  const authorizer = opts.auth ? new HttpAuthorizer(opts.auth) : undefined;
  const server = createServer((req, res) => {
    route(req, res, handlers, authorizer).catch((err: Error) => {
      log.warn({ err: err.message, path: req.url }, 'http: request failed');
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', `internal error: ${err.message}\n`);
      else res.destroy();
    });
  });
  // A slow or idle client must not hold sockets open forever.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(new HttpListenError(listenFailure(where, err))));
    server.listen(listen.port, listen.host, () => resolve());
  });
  server.on('error', (err) => log.error({ err: err.message }, 'http listener failed'));
  const bound = server.address() as AddressInfo;
  const address = formatListenAddress({ host: listen.host, port: bound.port });
  log.info({ address, auth: opts.auth ? Object.keys(opts.auth)[0] : 'none' }, `http listening on ${address}`);
  return { address, close: () => closeServer(server) };
}

function listenFailure(where: string, err: NodeJS.ErrnoException): string {
  const change = 'choose another with --http HOST:PORT or http.listen in settings.yaml (or "off")';
  if (err.code === 'EADDRINUSE') return `cannot listen on ${where}: the address is already in use (another newswatch process?); ${change}`;
  if (err.code === 'EACCES') return `cannot listen on ${where}: permission denied (ports below 1024 need privileges); ${change}`;
  if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND')
    return `cannot listen on ${where}: no such address on this machine; ${change}`;
  return `cannot listen on ${where}: ${err.message}; ${change}`;
}

async function route(
  req: IncomingMessage,
  res: ServerResponse,
  handlers: HttpHandlers,
  authorizer: HttpAuthorizer | undefined,
): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://newswatch').pathname;
  const method = req.method ?? 'GET';
  if (authorizer && !OPEN_PATHS.has(path) && !(await authorizer.allows(req.headers.authorization))) {
    res.setHeader('www-authenticate', authorizer.challenge);
    return send(res, 401, 'text/plain; charset=utf-8', 'authentication required (http.auth)\n');
  }
  const mount = handlers.mounts?.find((m) => path === m.prefix || path.startsWith(`${m.prefix}/`));
  if (mount) return mount.handle(req, res);

  const reading = method === 'GET' || method === 'HEAD';
  switch (path) {
    case '/healthz':
      if (!reading) return notAllowed(res, 'GET, HEAD');
      return send(res, 200, 'text/plain; charset=utf-8', 'ok\n');
    case '/readyz': {
      if (!reading) return notAllowed(res, 'GET, HEAD');
      const reasons = await handlers.notReadyReasons();
      return reasons.length === 0 ? sendJson(res, 200, { ready: true }) : sendJson(res, 503, { ready: false, reasons });
    }
    case '/metrics': {
      if (!reading) return notAllowed(res, 'GET, HEAD');
      const { contentType, body } = await handlers.metrics();
      return send(res, 200, contentType, body);
    }
    case '/-/reload': {
      // POST only, as in Prometheus: a crawler or a prefetching browser must not trigger reloads.
      if (method !== 'POST' && method !== 'PUT') return notAllowed(res, 'POST, PUT');
      req.resume();
      const result = await handlers.reload();
      return result.ok
        ? sendJson(res, 200, { ok: true, generation: result.generation })
        : sendJson(res, 400, { ok: false, problems: result.problems });
    }
    case '/':
      if (!reading) return notAllowed(res, 'GET, HEAD');
      res.setHeader('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
      return send(res, 200, 'text/html; charset=utf-8', await handlers.statusPage());
  }
  send(res, 404, 'text/plain; charset=utf-8', 'not found: try /, /healthz, /readyz, /metrics or POST /-/reload\n');
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' }).end(body);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json; charset=utf-8', `${JSON.stringify(body)}\n`);
}

function notAllowed(res: ServerResponse, allow: string): void {
  res.setHeader('allow', allow);
  send(res, 405, 'text/plain; charset=utf-8', `method not allowed: use ${allow}\n`);
}

async function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}
