import { describe, expect, it } from 'vitest';
import { formatProblem, loadConfig } from '../../../src/config/load.js';

describe('the shipped config/', () => {
  it('is valid with no environment variables set, so `npm start` works on a fresh clone', () => {
    const result = loadConfig('config', {});
    expect(result.ok ? [] : result.errors.map(formatProblem)).toEqual([]);
    if (!result.ok) return;
    expect(result.config.feeds.filter((f) => f.enabled).length).toBeGreaterThan(0);
    expect(result.config.channels.map((c) => c.id).sort()).toEqual(['console', 'file']);
    expect(result.config.ruleSet.size).toBeGreaterThan(0);
  });

  it('switches the webhook and email channels on when their variables are set', () => {
    const result = loadConfig('config', {
      NEWSWATCH_WEBHOOK_URL: 'https://hooks.example.org/x',
      NEWSWATCH_EMAIL_TO: 'desk@example.org',
      NEWSWATCH_SMTP_HOST: 'smtp.example.org',
    });
    expect(result.ok && result.config.channels.map((c) => c.id).sort()).toEqual(['console', 'email', 'file', 'webhook']);
  });
});
