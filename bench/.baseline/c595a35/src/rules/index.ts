/** The rule engine's public face: compile rules once, match articles against the set. */
export { compileRules, compileRulesInSlices, caretDisplay, type CompileOptions } from './compile.js';
export { parseQuery, type ParseResult, type QueryError } from './parser.js';
export { printQuery } from './print.js';
export { formatExplanation } from './explain.js';
export type { QueryNode } from './ast.js';
export type {
  ArticleField,
  CompileResult,
  MatchContext,
  MatchedTerm,
  RuleDefinition,
  RuleError,
  RuleMatch,
  RuleSet,
} from './rule-set.js';
