import type { JobsOptions, Queue } from 'bullmq';

interface PendingJob {
  name: string;
  data: unknown;
  opts: JobsOptions;
  settle(err?: unknown): void;
}

/**
 * Adds jobs to one queue, gathering the jobs added within one turn of the event loop into one `addBulk`:
 * one round trip and one socket write for the delivery jobs of a whole match batch, instead of one per
 * job (each write cost the daemon about as much CPU as a small job's work). Each caller's promise
 * settles with its turn's write; a failed write fails every job of that turn, as separate adds failing
 * together would.
 */
export class JobBatcher {
  private pending: PendingJob[] = [];

  constructor(private readonly queue: Queue) {}

  add(name: string, data: unknown, opts: JobsOptions): Promise<void> {
    return new Promise((resolve, reject) => {
      const settle = (err?: unknown) => (err === undefined ? resolve() : reject(err));
      // setImmediate, as ioredis's auto-pipelining: jobs added as replies of one read resolve their promises go together.
      if (this.pending.push({ name, data, opts, settle }) === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const jobs = this.pending;
    this.pending = [];
    addJobs(this.queue, jobs).then(
      () => {
        for (const job of jobs) job.settle();
      },
      (err: unknown) => {
        for (const job of jobs) job.settle(err ?? new Error('adding jobs failed'));
      },
    );
  }
}

/**
 * Adds jobs to a queue in one write: a lone job by `add`, since addBulk builds an ioredis pipeline, which
 * copies each of BullMQ's scripts onto itself; several by `addBulk`.
 */
export async function addJobs(queue: Queue, jobs: ReadonlyArray<{ name: string; data: unknown; opts: JobsOptions }>): Promise<void> {
  if (jobs.length === 1) await queue.add(jobs[0]!.name, jobs[0]!.data, jobs[0]!.opts);
  else if (jobs.length > 1) await queue.addBulk([...jobs]);
}

const batchers = new WeakMap<Queue, JobBatcher>();

/** The one batcher of a queue object. */
export function jobBatcher(queue: Queue): JobBatcher {
  let batcher = batchers.get(queue);
  if (!batcher) batchers.set(queue, (batcher = new JobBatcher(queue)));
  return batcher;
}
