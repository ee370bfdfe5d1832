import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Folders of src/ import each other in one direction only, a folder and its subfolders counting as
 * separate nodes (alerts/ and alerts/channels/ must not import each other). dependency-cruiser's folder
 * scope folds a subfolder into its parent, so it cannot see that kind of circle; this test can.
 */
const SRC = 'src';
const IMPORT = /(?:\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+)(['"])(\.[^'"]+)\1/gm;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** folder -> folder -> one file-level import that makes the edge, for the failure message. */
function folderGraph(files: string[]): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of files) {
    const from = relative(SRC, dirname(file)) || '.';
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const target = normalize(join(dirname(file), match[2]!));
      if (!target.startsWith(`${SRC}/`)) continue;
      const to = relative(SRC, dirname(target)) || '.';
      if (to === from) continue;
      const edges = graph.get(from) ?? new Map<string, string>();
      if (!edges.has(to)) edges.set(to, `${file} -> ${match[2]}`);
      graph.set(from, edges);
    }
  }
  return graph;
}

/** Every circle found by a depth-first search, each as the list of imports that close it. */
function folderCircles(graph: Map<string, Map<string, string>>): string[][] {
  const circles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (folder: string) => {
    state.set(folder, 'open');
    path.push(folder);
    for (const next of graph.get(folder)?.keys() ?? []) {
      if (state.get(next) === 'open') {
        const loop = path.slice(path.indexOf(next));
        circles.push(loop.map((f, i) => graph.get(f)!.get(loop[i + 1] ?? next)!));
      } else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(folder, 'done');
  };
  for (const folder of [...graph.keys()].sort()) if (!state.has(folder)) visit(folder);
  return circles;
}

describe('folder imports', () => {
  it('finds a circle between a folder and its subfolder', () => {
    const graph = new Map([
      ['alerts', new Map([['alerts/channels', 'src/alerts/a.ts -> ./channels/b.js']])],
      ['alerts/channels', new Map([['alerts', 'src/alerts/channels/b.ts -> ../a.js']])],
    ]);
    expect(folderCircles(graph)).toEqual([['src/alerts/a.ts -> ./channels/b.js', 'src/alerts/channels/b.ts -> ../a.js']]);
  });

  it('src/ has no circle between folders, subfolders included', () => {
    expect(folderCircles(folderGraph(sourceFiles(SRC)))).toEqual([]);
  });
});
