import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Writes a throwaway config directory: keys are paths inside it, values file contents. */
export function writeConfigDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'newswatch-config-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}
