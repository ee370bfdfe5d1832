import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { waitFor } from './wait.js';

/** Starts a redis-server of the test's own (args as on its command line) and waits until it answers on `port`. */
export async function spawnRedisServer(args: string[], port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  const probe = new Redis(port, '127.0.0.1', { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  probe.on('error', () => {});
  try {
    await waitFor(
      `redis-server on ${port}`,
      () =>
        probe.connect().then(
          () => true,
          () => false,
        ),
      10_000,
    );
  } finally {
    probe.disconnect();
  }
  return child;
}
