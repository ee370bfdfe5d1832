import { describe, expect, it } from 'vitest';
import { NewswatchMetrics, type QueueJobCounts } from '../../../src/metrics/metrics.js';
import { findPromtool, PROMTOOL_MISSING, runPromtool } from '../../support/promtool.js';

/** The value of one series in a text exposition, or undefined when the series is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const ISSUE_METRICS = [
  'newswatch_build_info',
  'newswatch_feed_fetches_total',
  'newswatch_feed_consecutive_failures',
  'newswatch_feed_last_success_timestamp_seconds',
  'newswatch_articles_total',
  'newswatch_rule_matches_total',
  'newswatch_alerts_total',
  'newswatch_deliveries_total',
  'newswatch_delivery_duration_seconds',
  'newswatch_alert_latency_seconds',
  'newswatch_match_duration_seconds',
  'newswatch_queue_jobs',
  'newswatch_config_reloads_total',
  'newswatch_config_last_reload_successful',
  'newswatch_config_last_reload_success_timestamp_seconds',
];

describe('NewswatchMetrics', () => {
  it('declares every metric of the contract, with default process metrics and the build version', async () => {
    const text = await new NewswatchMetrics({ version: '1.2.3' }).exposition();
    for (const name of ISSUE_METRICS) expect(text, name).toContain(`# TYPE ${name} `);
    expect(sample(text, 'newswatch_build_info{version="1.2.3"}')).toBe(1);
    expect(text).toContain('# TYPE process_cpu_user_seconds_total counter');
    expect(sample(text, 'newswatch_config_reloads_total{result="failure"}')).toBe(0);
  });

  it('records fetches, failures in a row and the last success per feed', async () => {
    const metrics = new NewswatchMetrics({ version: 'test' });
    metrics.feedFetched('wire', 'failed', 3);
    metrics.feedFetched('wire', 'failed', 4);
    let text = await metrics.exposition();
    expect(sample(text, 'newswatch_feed_fetches_total{feed="wire",outcome="failed"}')).toBe(2);
    expect(sample(text, 'newswatch_feed_consecutive_failures{feed="wire"}')).toBe(4);
    expect(sample(text, 'newswatch_feed_last_success_timestamp_seconds{feed="wire"}')).toBeUndefined();
    metrics.feedFetched('wire', 'not_modified', undefined, 1_700_000_000_000);
    metrics.articlesQueued('wire', 5);
    text = await metrics.exposition();
    expect(sample(text, 'newswatch_feed_consecutive_failures{feed="wire"}')).toBe(0);
    expect(sample(text, 'newswatch_feed_last_success_timestamp_seconds{feed="wire"}')).toBe(1_700_000_000);
    expect(sample(text, 'newswatch_articles_total{feed="wire"}')).toBe(5);
  });

  it('measures alert latency from the article fetch, and ignores a fetch time it cannot read', async () => {
    const metrics = new NewswatchMetrics({ version: 'test' });
    metrics.alertDelivered('2026-11-30T10:00:00.000Z', Date.parse('2026-11-30T10:00:03.000Z'));
    metrics.alertDelivered('not a date');
    const text = await metrics.exposition();
    expect(sample(text, 'newswatch_alert_latency_seconds_count')).toBe(1);
    expect(sample(text, 'newswatch_alert_latency_seconds_sum')).toBe(3);
    expect(sample(text, 'newswatch_alert_latency_seconds_bucket{le="2"}')).toBe(0);
    expect(sample(text, 'newswatch_alert_latency_seconds_bucket{le="5"}')).toBe(1);
  });

  it('counts reloads by result and keeps the last success time through a failure', async () => {
    const metrics = new NewswatchMetrics({ version: 'test' });
    metrics.configApplied(true, false, 1_000_000);
    metrics.configApplied(true, true, 2_000_000);
    metrics.configApplied(false, true, 3_000_000);
    const text = await metrics.exposition();
    expect(sample(text, 'newswatch_config_reloads_total{result="success"}')).toBe(1);
    expect(sample(text, 'newswatch_config_reloads_total{result="failure"}')).toBe(1);
    expect(sample(text, 'newswatch_config_last_reload_successful')).toBe(0);
    expect(sample(text, 'newswatch_config_last_reload_success_timestamp_seconds')).toBe(2_000);
  });

  it('reads queue job counts at scrape time, and leaves them out when the reader fails or hangs', async () => {
    let counts: () => Promise<QueueJobCounts> = async () => ({ fetch: { waiting: 7, active: 1, delayed: 0, failed: 2 } });
    const errors: string[] = [];
    const metrics = new NewswatchMetrics({ version: 'test', scrapeTimeoutMs: 50, onError: (e) => errors.push(e.message) });
    metrics.readQueueJobCountsFrom(() => counts());
    let text = await metrics.exposition();
    expect(sample(text, 'newswatch_queue_jobs{queue="fetch",state="waiting"}')).toBe(7);
    expect(sample(text, 'newswatch_queue_jobs{queue="fetch",state="failed"}')).toBe(2);
    counts = () => Promise.reject(new Error('ECONNREFUSED'));
    text = await metrics.exposition();
    expect(sample(text, 'newswatch_queue_jobs{queue="fetch",state="waiting"}')).toBeUndefined();
    counts = () => new Promise(() => {});
    text = await metrics.exposition();
    expect(text).toContain('# TYPE newswatch_queue_jobs gauge');
    expect(errors).toEqual(['ECONNREFUSED', 'queue job counts: Redis did not answer in time']);
  });

  it('never throws into the code that records', () => {
    const errors: string[] = [];
    const metrics = new NewswatchMetrics({ version: 'test', onError: (e) => errors.push(e.message) });
    expect(() => metrics.articlesQueued('wire', -1)).not.toThrow();
    expect(() => metrics.deliveryAttempt('hook', Number.NaN)).not.toThrow();
    expect(errors).toHaveLength(2);
  });

  it('passes promtool check metrics', async (ctx) => {
    const promtool = findPromtool();
    if (!promtool) {
      console.log(`skipped: ${PROMTOOL_MISSING}`);
      ctx.skip();
      return;
    }
    const metrics = new NewswatchMetrics({ version: 'test' });
    metrics.readQueueJobCountsFrom(async () => ({ fetch: { waiting: 1 } }));
    metrics.feedFetched('wire', 'fetched', undefined);
    metrics.delivery('hook', 'delivered');
    metrics.deliveryAttempt('hook', 0.2);
    metrics.articleMatched(0.001);
    const check = runPromtool(promtool, ['check', 'metrics'], await metrics.exposition());
    expect(check.output).toBe('');
    expect(check.status).toBe(0);
  });
});
