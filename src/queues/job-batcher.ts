import type { JobsOptions, Queue } from 'bullmq';
import { onePer, TurnBatch } from '../batching/turn-batch.js';

interface JobToAdd {
  name: string;
  data: unknown;
  opts: JobsOptions;
}

/**
 * Adds jobs to one queue, the jobs added within one turn of the event loop in one `addBulk` (`TurnBatch`):
 * one round trip and one socket write for the delivery jobs of a whole match batch, instead of one per
 * job (each write cost the daemon about as much CPU as a small job's work). Each caller's promise
 * settles with its turn's write; a failed write fails every job of that turn, as separate adds failing
 * together would.
 */
export class JobBatcher {
  private readonly batch: TurnBatch<JobToAdd>;

  constructor(queue: Queue) {
    this.batch = new TurnBatch((jobs) => addJobs(queue, jobs), 'adding jobs');
  }

  add(name: string, data: unknown, opts: JobsOptions): Promise<void> {
    return this.batch.add({ name, data, opts });
  }
}

/**
 * Adds jobs to a queue in one write: a lone job by `add`, since addBulk builds an ioredis pipeline, which
 * copies each of BullMQ's scripts onto itself; several by `addBulk`.
 */
export async function addJobs(queue: Queue, jobs: readonly JobToAdd[]): Promise<undefined> {
  if (jobs.length === 1) await queue.add(jobs[0]!.name, jobs[0]!.data, jobs[0]!.opts);
  else if (jobs.length > 1) await queue.addBulk([...jobs]);
}

/** The one batcher of a queue object. */
export const jobBatcher = onePer((queue: Queue) => new JobBatcher(queue));
