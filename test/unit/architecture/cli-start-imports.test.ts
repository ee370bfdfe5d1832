import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Issue 10: `check-config` and `test-rule` start in 0.3 s because each command, and each heavy dependency,
 * is imported only when it is used. These tests run the real CLI on the shipped config and list the
 * packages it loads, so a static import that brings rendering, HTTP, mail, logging, the scheduler or the
 * positioned YAML document back into these commands fails here. (How long a start takes is measured by
 * `npm run bench -- cli-start`, not here.)
 */

const REPO = resolve(import.meta.dirname, '../../..');
const PRODUCT_PACKAGES = Object.keys(
  (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { dependencies: object }).dependencies,
);

// Records every module the ESM loader loads (in the loader's own thread) and, at exit, every CommonJS
// module in the require cache (lazyDependency loads packages with require).
const HOOKS = `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  appendFileSync(process.env.NEWSWATCH_IMPORT_TRACE, url + '\\n');
  return next(url, context);
}`;
const RECORDER = `import Module, { register } from 'node:module';
import { appendFileSync } from 'node:fs';
register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOKS)}`)});
process.on('exit', () => appendFileSync(process.env.NEWSWATCH_IMPORT_TRACE, Object.keys(Module._cache).join('\\n') + '\\n'));`;

/** The product's dependencies (package.json `dependencies`) that a CLI run loads, sorted. */
async function packagesLoadedBy(args: string[]): Promise<string[]> {
  const trace = join(mkdtempSync(join(tmpdir(), 'newswatch-imports-')), 'loaded.txt');
  const argv = ['--import', 'tsx', '--import', `data:text/javascript,${encodeURIComponent(RECORDER)}`, 'src/cli/main.ts', ...args];
  const env: NodeJS.ProcessEnv = { ...process.env, NEWSWATCH_IMPORT_TRACE: trace };
  delete env.NEWSWATCH_CONFIG;
  const { code, err } = await new Promise<{ code: number | null; err: string }>((done, reject) => {
    const child = spawn(process.execPath, argv, { cwd: REPO, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => done({ code, err }));
  });
  expect(code, err).toBe(0);
  const packages = new Set<string>();
  for (const line of readFileSync(trace, 'utf8').split('\n')) {
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(line)?.[1];
    if (name && PRODUCT_PACKAGES.includes(name)) packages.add(name);
  }
  return [...packages].sort();
}

describe('CLI start: what check-config and test-rule load on the shipped config', () => {
  // Validation (zod), plain YAML (js-yaml), stemming (snowball-stemmers: the shipped terms use ~stems) and
  // the command line (commander): nothing else. The shipped rules have no /regex/ term, so no re2js.
  const CONFIG_COMMAND_PACKAGES = ['commander', 'js-yaml', 'snowball-stemmers', 'zod'];

  it('check-config loads only validation, YAML, stemming and commander', async () => {
    expect(await packagesLoadedBy(['check-config', '--config', 'config'])).toEqual(CONFIG_COMMAND_PACKAGES);
  });

  it('test-rule --rule loads no more than check-config', async () => {
    const args = ['test-rule', '--rule', 'nk-troops-russia', '--text', 'North Korea sends troops to Kursk in Russia', '--config', 'config'];
    expect(await packagesLoadedBy(args)).toEqual(CONFIG_COMMAND_PACKAGES);
  });

  it('test-rule --query without term sets reads no config: neither validation nor YAML', async () => {
    const args = [
      'test-rule',
      '--query',
      '"North Korea" NEAR/10 troops',
      '--text',
      'North Korea sends troops to Kursk',
      '--config',
      'config',
    ];
    expect(await packagesLoadedBy(args)).toEqual(['commander']);
  });
});
