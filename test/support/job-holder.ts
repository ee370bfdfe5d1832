/**
 * A worker process that takes one job of a queue and holds it until it is killed: the stand-in for a
 * daemon that dies mid-job. It uses the daemon's own lock and stall settings from the config, so the
 * job's fate after the kill is what it would be in production.
 * Usage: tsx job-holder.ts CONFIG_DIR QUEUE (REDIS_URL in the environment). Prints "holding JOB_ID".
 */
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { loadConfig } from '../../src/config/load.js';
import { jobLockOptions } from '../../src/queues/job-locks.js';

const [dir, queue] = process.argv.slice(2);
const loaded = loadConfig(dir!, process.env);
if (!loaded.ok) throw new Error('invalid config');
const { settings } = loaded.config;
const worker = new Worker(queue!, (job) => new Promise<never>(() => process.stdout.write(`holding ${job.id}\n`)), {
  connection: new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null }),
  prefix: settings.redis.prefix,
  ...jobLockOptions(settings.workers),
});
worker.on('error', () => {});
