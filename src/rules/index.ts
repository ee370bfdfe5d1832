/** The rule engine's public face: compile rules once, match articles against the set. */
export { compileRules, compileRulesInSlices } from './compile.js';
export { parseQuery } from './parser.js';
export { printQuery } from './print.js';
export { formatExplanation } from './explain.js';
export type { QueryNode } from './ast.js';
export type {
  RuleDefinition,
  RuleFailure,
  RuleHit,
  RuleSet,
} from './rule-set.js';
