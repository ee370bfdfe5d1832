import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../../../src');
const LUA = join(SRC, 'state/lua');

describe('Lua scripts', () => {
  it('live in src/state/lua/*.lua, never inline in a TypeScript string', () => {
    const tsFiles = readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    expect(tsFiles.length).toBeGreaterThan(100);
    const inline = tsFiles.filter((f) => /redis\.p?call\s*\(/.test(readFileSync(join(SRC, f), 'utf8')));
    expect(inline).toEqual([]);
  });

  it('are each registered once in redis-scripts.ts', () => {
    const registry = readFileSync(join(SRC, 'state/redis-scripts.ts'), 'utf8');
    const registered = [...registry.matchAll(/file: '([^']+\.lua)'/g)].map((m) => m[1]).sort();
    expect(registered).toEqual(
      readdirSync(LUA)
        .filter((f) => f.endsWith('.lua'))
        .sort(),
    );
  });
});
