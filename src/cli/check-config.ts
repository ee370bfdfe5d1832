import { formatProblem } from '../config/load.js';
import { configDir, loadConfigOrReport } from './config-dir.js';
import { EXIT } from './exit-codes.js';

export function checkConfigCommand(opts: { config?: string }): number {
  const config = loadConfigOrReport(opts.config);
  if (!config) return EXIT.negative;
  for (const w of config.warnings) process.stderr.write(`warning: ${formatProblem(w)}\n`);
  const enabledFeeds = config.feeds.filter((f) => f.enabled).length;
  process.stdout.write(
    `${configDir(opts.config)}: valid (${enabledFeeds} feeds, ${config.ruleSet.size} rules, ${config.channels.length} channels)\n`,
  );
  return EXIT.ok;
}
