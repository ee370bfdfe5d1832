import { caretDisplay } from '../rules/compile.js';

/**
 * What to do about the YAML mistakes people make most in these files, from the line the parser
 * stopped on. Each hint shows the line rewritten the way it was meant.
 */

/** `key: value` on one line, possibly as a list item (`- key: value`). */
const KEY_VALUE = /^(\s*(?:-\s+)?)([A-Za-z_][\w.-]*):\s+(.*?)\s*$/;

const singleQuoted = (text: string) => `'${text.replace(/'/g, "''")}'`;

function hintFor(code: string, message: string, line: string): string | undefined {
  const kv = KEY_VALUE.exec(line);
  // `@` starts no plain YAML value, and term set references begin with it.
  if (/reserved character @/.test(message)) return 'quote a value starting with @: "@name"';
  if (code === 'TAB_AS_INDENT' || /tab/i.test(message)) return 'indent with spaces, not tabs';
  if (/\$\{/.test(line) && (code === 'MISSING_CHAR' || /flow/i.test(message))) {
    // In [ ] and { }, `{` opens a mapping: `[${A}]` is not the variable.
    return `quote \${VAR} inside [ ]: ${line.trim().replace(/(?<!["'])\$\{[^}]*\}(?!["'])/g, (v) => `"${v}"`)}`;
  }
  if (kv) {
    const [, lead, key, value] = kv as unknown as [string, string, string, string];
    if (/^'/.test(value) && code === 'UNEXPECTED_TOKEN') {
      const inner = value.replace(/^'|'$/g, '');
      return `inside single quotes write ' as '': ${lead.trim()}${lead.trim() ? ' ' : ''}${key}: ${singleQuoted(inner)}`;
    }
    if (/^"/.test(value) && code === 'UNEXPECTED_TOKEN') {
      return `a quoted value ends at its closing quote; quote the whole value with single quotes: ${key}: ${singleQuoted(value)}`;
    }
    if (/: /.test(value) || code === 'BLOCK_AS_IMPLICIT_KEY') return `quote a value containing ": ": ${key}: ${singleQuoted(value)}`;
  }
  return undefined;
}

/** The message for a YAML error at `line` (1-based column `col`): the parser's words, a hint, the line with a caret. */
export function yamlErrorMessage(code: string, message: string, lineText: string, col: number): string {
  const hint = hintFor(code, message, lineText);
  return `YAML: ${message}${hint ? `; ${hint}` : ''}\n${caretDisplay(lineText, col)}`;
}
