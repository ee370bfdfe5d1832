import { formatProblem, loadConfig } from '../config/load.js';
import { configDir } from './config-dir.js';
import { EXIT } from './exit-codes.js';

export function checkConfigCommand(opts: { config?: string }): number {
  const dir = configDir(opts.config);
  const result = loadConfig(dir);
  if (!result.ok) {
    for (const p of result.errors) process.stderr.write(`${formatProblem(p)}\n`);
    process.stderr.write(`${dir}: ${result.errors.length} problem(s)\n`);
    return EXIT.negative;
  }
  const { config } = result;
  for (const w of config.warnings) process.stderr.write(`warning: ${formatProblem(w)}\n`);
  const enabledFeeds = config.feeds.filter((f) => f.enabled).length;
  process.stdout.write(`${dir}: valid (${enabledFeeds} feeds, ${config.ruleSet.size} rules, ${config.channels.length} channels)\n`);
  return EXIT.ok;
}
