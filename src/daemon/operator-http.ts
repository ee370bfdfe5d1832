import type { ConfigWatcher } from '../config/config-watcher.js';
import { formatProblem } from '../config/load.js';
import type { Settings } from '../config/schema.js';
import { withDeadline } from '../deadline.js';
import { parseListenAddress } from '../net/listen-address.js';
import { HttpListenError, startHttpListener, type HttpListener } from '../http/server.js';
import { renderStatusPage, type StatusPageView } from '../http/status-page.js';
import type { Logger } from '../log/logger.js';
import type { NewswatchMetrics } from '../metrics/metrics.js';
import type { Queues } from '../queues/queues.js';
import type { StatusSnapshot } from '../status/snapshot.js';
import { VERSION } from '../version.js';
import { notReadyReasons, type ReadinessProbe } from './readiness.js';

/** The page answers within this even while Redis hangs, saying so. */
const STATUS_READ_TIMEOUT_MS = 5_000;

/** The parts of a daemon its endpoints read; `running()` is undefined until Redis answered and the workers started. */
export interface OperatorSources {
  watcher: ConfigWatcher;
  metrics: NewswatchMetrics;
  roles: string[];
  log: Logger;
  running(): { readiness: ReadinessProbe; status(): Promise<StatusSnapshot>; queues: Queues } | undefined;
}

/** Starts the operator endpoints at `listen` (`off`: none), with the auth from settings. */
export async function startOperatorHttp(listen: string, settings: Settings, sources: OperatorSources): Promise<HttpListener | undefined> {
  const address = parseListenAddress(listen);
  if (address === 'off') return undefined;
  if ('error' in address) throw new HttpListenError(`--http: ${address.error}`);
  const { watcher, metrics } = sources;
  const uiMode = settings.http.queues_ui;
  // bull-board and express load only when the UI is on: every CLI start would pay for them otherwise.
  const ui = uiMode === 'off' ? undefined : await import('../http/queues-ui.js');
  let handleUi: ReturnType<NonNullable<typeof ui>['queuesUi']> | undefined;
  return startHttpListener({
    listen: address,
    auth: settings.http.auth,
    log: sources.log,
    handlers: {
      notReadyReasons: () => notReadyReasons(sources.running()?.readiness),
      metrics: async () => ({ contentType: metrics.contentType, body: await metrics.exposition() }),
      reload: async () => {
        const result = await watcher.reload('http');
        return result.ok ? result : { ok: false, problems: result.problems.map(formatProblem) };
      },
      statusPage: async () => renderStatusPage(await statusPageView(sources)),
      mounts:
        !ui || uiMode === 'off'
          ? []
          : [
              {
                prefix: ui.QUEUES_UI_PATH,
                handle: (req, res) => {
                  const running = sources.running();
                  if (!running)
                    return void res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end('starting: connecting to Redis\n');
                  handleUi ??= ui.queuesUi(Object.values(running.queues), uiMode);
                  handleUi(req, res);
                },
              },
            ],
    },
  });
}

async function statusPageView(sources: OperatorSources): Promise<StatusPageView> {
  const { watcher } = sources;
  const last = watcher.lastReload;
  const view: StatusPageView = {
    process: {
      version: VERSION,
      roles: sources.roles,
      generation: watcher.generation,
      lastReload: last && { ok: last.ok, at: last.at, problems: last.ok ? [] : last.problems.map(formatProblem) },
    },
    refreshSeconds: Math.round(watcher.current.settings.http.refresh / 1000),
    now: Date.now(),
  };
  const running = sources.running();
  if (!running) return { ...view, redisError: 'still connecting to Redis' };
  try {
    return {
      ...view,
      snapshot: await withDeadline(
        running.status(),
        STATUS_READ_TIMEOUT_MS,
        `Redis did not answer within ${STATUS_READ_TIMEOUT_MS / 1000} s`,
      ),
    };
  } catch (err) {
    return { ...view, redisError: (err as Error).message };
  }
}
