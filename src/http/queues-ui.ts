import type { IncomingMessage, ServerResponse } from 'node:http';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import express from 'express';

export const QUEUES_UI_PATH = '/queues';

/**
 * bull-board's queue UI for the given queues. Read-only unless `write`: then jobs can be retried,
 * promoted and removed from the browser (bull-board refuses those actions on read-only queues).
 */
export function queuesUi(queues: readonly Queue[], mode: 'read' | 'write'): (req: IncomingMessage, res: ServerResponse) => void {
  const serverAdapter = new ExpressAdapter().setBasePath(QUEUES_UI_PATH);
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode: mode === 'read' })),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'newswatch queues' } },
  });
  const app = express();
  app.disable('x-powered-by');
  app.use(QUEUES_UI_PATH, serverAdapter.getRouter());
  return app;
}
