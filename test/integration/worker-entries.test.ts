import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { writeConfigDir } from '../support/config-dir.js';
import { waitFor } from '../support/wait.js';

const TSX = pathToFileURL(resolve('node_modules/tsx/dist/loader.mjs')).href;

describe('workers/<role> entries', () => {
  const children: Array<ReturnType<typeof spawn>> = [];
  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
  });

  it('workers/match.ts runs the daemon with the match role only, and stops on SIGTERM with exit 0', async () => {
    const dir = writeConfigDir({
      'feeds.yaml': 'feeds: []\n',
      'channels.yaml': 'channels:\n  - id: console\n    type: console\n',
      'rules/r.yaml': 'rules:\n  - id: nk\n    name: NK\n    query: troops\n    channels: [console]\n',
      'settings.yaml': 'redis: { prefix: test-worker-entry }\n',
    });
    const child = spawn(process.execPath, ['--import', TSX, resolve('workers/match.ts'), '--config', dir, '--http', 'off'], {
      env: { ...process.env, NEWSWATCH_LOG_JSON: '1', REDIS_URL: inject('redisUrl') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    await waitFor('the match worker to start', () => out.includes('"msg":"newswatch started"'), 20_000);
    const started = JSON.parse(out.split('\n').find((line) => line.includes('"msg":"newswatch started"'))!);
    expect(started.roles).toEqual(['match']);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 40_000);
});
