/**
 * Loads a generated config of N rules a few times, for a CPU profile of config loading:
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/config-profile.ts 10000 [loads]
 * The same files as bench/config.ts; read the .cpuprofile in Chrome DevTools (or any profile viewer).
 */
import { rmSync } from 'node:fs';
import { loadConfig } from '../src/config/load.js';
import { writeBenchConfig } from './config-files.js';

const count = Number(process.argv[2] ?? 10_000);
const loads = Number(process.argv[3] ?? 3);
const dir = writeBenchConfig(count);
for (let i = 0; i < loads; i++) {
  const loaded = loadConfig(dir, {});
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
}
rmSync(dir, { recursive: true, force: true });
console.log(`${loads} loads of ${count} rules`);
