import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NewswatchMetrics } from '../../../src/metrics/metrics.js';
import { findPromtool, PROMTOOL_MISSING, runPromtool } from '../../support/promtool.js';

const RULES = 'deploy/prometheus/newswatch-alerts.yml';
const DASHBOARD = 'deploy/grafana/newswatch-dashboard.json';

/** Metric families newswatch exports, from its own /metrics text (histograms add _bucket, _sum, _count). */
async function exportedNames(): Promise<Set<string>> {
  const text = await new NewswatchMetrics({ version: 'test' }).exposition();
  const families = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)];
  return new Set(
    families.flatMap(([, name, type]) => (type === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name!])),
  );
}

const namesIn = (text: string) => [...new Set(text.match(/\b(newswatch|process)_[a-z_]+\b/g) ?? [])];

describe('deploy/', () => {
  it('the alert rules pass promtool check rules', async (ctx) => {
    const promtool = findPromtool();
    if (!promtool) {
      console.log(`skipped: ${PROMTOOL_MISSING}`);
      ctx.skip();
      return;
    }
    const check = runPromtool(promtool, ['check', 'rules', RULES]);
    expect(check.output).toContain('SUCCESS: 8 rules found');
    expect(check.status).toBe(0);
  });

  it('the alert rules and the dashboard use only metrics newswatch exports', async () => {
    const exported = await exportedNames();
    const rules = readFileSync(RULES, 'utf8');
    const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: Array<{ targets: Array<{ expr: string }> }> };
    const dashboardExprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)).join('\n');
    expect(namesIn(rules).filter((n) => !exported.has(n))).toEqual([]);
    expect(namesIn(dashboardExprs).filter((n) => !exported.has(n))).toEqual([]);
    // Every metric the issue names is on the dashboard.
    const onDashboard = new Set(namesIn(dashboardExprs).map((n) => n.replace(/_(bucket|sum|count)$/, '')));
    expect(
      [...exported].filter(
        (n) => n.startsWith('newswatch_') && !/_(bucket|sum|count)$/.test(n) && n !== 'newswatch_build_info' && !onDashboard.has(n),
      ),
    ).toEqual([]);
  });

  it('the systemd unit reloads on SIGHUP, restarts on failure and is hardened', () => {
    const unit = readFileSync('deploy/systemd/newswatch.service', 'utf8');
    for (const line of [
      'ExecReload=/bin/kill -HUP $MAINPID',
      'Restart=on-failure',
      'KillMode=mixed',
      'NoNewPrivileges=yes',
      'ProtectSystem=strict',
      'CapabilityBoundingSet=',
    ]) {
      expect(unit.split('\n')).toContain(line);
    }
  });
});
