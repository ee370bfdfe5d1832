import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** newswatch's version from package.json (one directory up from src/, two from dist/src/). */
function readVersion(): string {
  for (const relative of ['../package.json', '../../package.json']) {
    const path = fileURLToPath(new URL(relative, import.meta.url));
    if (!existsSync(path)) continue;
    const pkg = JSON.parse(readFileSync(path, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'newswatch' && pkg.version) return pkg.version;
  }
  return 'unknown';
}

export const VERSION = readVersion();
