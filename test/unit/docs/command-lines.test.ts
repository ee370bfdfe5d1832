import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../../src/cli/commands.js';
import { EXIT } from '../../../src/cli/exit-codes.js';
import { buildProgram, runNewswatch, type Invocation } from '../../../src/cli/program.js';
import { captureOutput } from '../../support/capture-output.js';

/**
 * Every `newswatch ...` command line in README.md and docs/*.md, as written, goes through the real
 * program: a documented command or flag that does not exist fails here, not in an operator's terminal.
 */
const REPO = join(import.meta.dirname, '../../..');
const DOCS = [
  'README.md',
  ...readdirSync(join(REPO, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const SHELL_FENCES = new Set(['', 'sh', 'bash', 'shell', 'console']);
/** Code spans that mention newswatch without being a command line. */
const NOT_COMMANDS = new Set(['newswatch started', 'npx newswatch ...']);

interface DocumentedLine {
  where: string;
  text: string;
}

/** Splits a shell line into words as sh would (quotes, backslashes), up to a comment, pipe or `&&`. */
function shellWords(line: string): string[][] {
  const commands: string[][] = [[]];
  let word: string | undefined;
  const end = () => {
    if (word !== undefined) commands.at(-1)!.push(word);
    word = undefined;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'" || c === '"') {
      const close = line.indexOf(c, i + 1);
      if (close < 0) throw new Error(`unbalanced ${c} in: ${line}`);
      word = (word ?? '') + line.slice(i + 1, close);
      i = close;
    } else if (c === '\\') word = (word ?? '') + (line[++i] ?? '');
    else if (/\s/.test(c)) end();
    else if (c === '#' && word === undefined) break;
    else if (c === '|' || c === ';' || (c === '&' && line[i + 1] === '&')) {
      end();
      if (c === '&') i++;
      commands.push([]);
    } else word = (word ?? '') + c;
  }
  end();
  return commands;
}

/** newswatch's arguments in a shell command (`newswatch ...` or `npx newswatch ...`), if it is one. */
function newswatchArgs(words: string[]): string[] | undefined {
  const start = words[0] === 'npx' ? 1 : 0;
  return words[start] === 'newswatch' ? words.slice(start + 1) : undefined;
}

function documentedLines(): { shell: DocumentedLine[]; spans: DocumentedLine[] } {
  const shell: DocumentedLine[] = [];
  const spans: DocumentedLine[] = [];
  const md = new MarkdownIt();
  for (const file of DOCS) {
    // Inline tokens (table cells) carry no line of their own: they are on the last line a block began at.
    let line = 1;
    const walk = (tokens: ReturnType<typeof md.parse>) => {
      for (const t of tokens) {
        if (t.map) line = t.map[0] + 1;
        if (t.type === 'fence' && SHELL_FENCES.has(t.info.trim())) {
          t.content
            .split('\n')
            .forEach(
              (text, i) => /\bnewswatch\b/.test(text) && shell.push({ where: `${file}:${line + 1 + i}`, text: text.replace(/^\$ /, '') }),
            );
        }
        if (t.type === 'code_inline' && /^(npx )?newswatch /.test(t.content) && !NOT_COMMANDS.has(t.content))
          spans.push({ where: `${file}:${line}`, text: t.content });
        if (t.children) walk(t.children);
      }
    };
    walk(md.parse(readFileSync(join(REPO, file), 'utf8'), {}));
  }
  return { shell, spans };
}

/** A synopsis (`newswatch alerts replay ID | --failed [--config DIR]`) rather than a line to type. */
const isSynopsis = (text: string) => /[[\]|()]|\.\.\./.test(text.replace(/'[^']*'/g, ''));

async function parse(args: string[]): Promise<{ code: number; calls: Invocation[]; err: string }> {
  const calls: Invocation[] = [];
  const { code, err } = await captureOutput(() => runNewswatch(args, (call) => (calls.push(call), EXIT.ok)));
  return { code, calls, err };
}

/** `newswatch feeds import` in prose names a command; it is no line to type (its file is missing). */
function isCommandName(text: string): boolean {
  let command: Command = buildProgram(
    () => EXIT.ok,
    () => {},
  );
  for (const word of text.split(' ').slice(1)) {
    const sub = command.commands.find((c) => c.name() === word);
    if (!sub) return false;
    command = sub;
  }
  return true;
}

/** Commands that need neither Redis nor the network with the shipped config: documented lines of these run for real. */
const RUN_FOR_REAL = new Set(['check-config', 'test-rule', 'preview', 'feeds export']);

const { shell, spans } = documentedLines();
const concrete = [
  ...shell.flatMap(({ where, text }) =>
    shellWords(text)
      .map(newswatchArgs)
      .filter((a) => a !== undefined)
      .map((args) => ({ where, text, args })),
  ),
  ...spans
    .filter((s) => !isSynopsis(s.text) && !isCommandName(s.text))
    .map(({ where, text }) => ({ where, text, args: newswatchArgs(shellWords(text)[0]!)! })),
];
const synopses = spans.filter((s) => isSynopsis(s.text));
const names = spans.filter((s) => isCommandName(s.text));

describe('documented command lines', () => {
  it('finds the command lines of the docs', () => {
    // A change to the extraction that silently finds nothing must not pass.
    expect(shell.length).toBeGreaterThanOrEqual(9);
    expect(spans.length).toBeGreaterThanOrEqual(35);
    expect(synopses.length).toBeGreaterThanOrEqual(14);
    // A span that is only command words names a command (and the program has it); any other word makes it a line to parse.
    expect(names.map((n) => n.text)).toContain('newswatch feeds import');
  });

  it.each(concrete.map((c) => [c.where, c.text, c] as const))('%s: %s parses as one command', async (_where, _text, { args }) => {
    const { code, calls, err } = await parse(args);
    expect(err).toBe('');
    expect(code).toBe(EXIT.ok);
    expect(calls).toHaveLength(1);
  });

  const runnable = concrete
    .filter((c) => shell.some((s) => s.text === c.text))
    .filter(
      (c) =>
        RUN_FOR_REAL.has(
          c.args
            .filter((a) => !a.startsWith('-'))
            .slice(0, 2)
            .join(' '),
        ) || RUN_FOR_REAL.has(c.args[0]!),
    );
  it.each(runnable.map((c) => [c.where, c.text, c] as const))('%s: %s runs on the shipped config', async (_where, _text, { args }) => {
    const { code, err } = await captureOutput(() => runNewswatch(args, runCommand));
    expect(err).not.toMatch(/^\s+at /m);
    // 0 or 1 are answers; 2 would mean the example itself is broken (an unknown rule, a missing file).
    expect([EXIT.ok, EXIT.negative], err).toContain(code);
  });

  const program = buildProgram(
    () => EXIT.ok,
    () => {},
  );
  /** The command a synopsis names, and every option it or its parents accept. */
  function optionsOf(words: string[]): { command: Command; flags: Set<string> } {
    let command = program;
    const flags = new Set<string>();
    for (const word of words) {
      for (const o of command.options) flags.add(o.long!);
      const sub = command.commands.find((c) => c.name() === word);
      if (!sub) break;
      command = sub;
    }
    for (const o of command.options) flags.add(o.long!);
    return { command, flags };
  }

  it.each(synopses.map((s) => [s.where, s.text, s] as const))('%s: every flag of %s exists on that command', (_where, text) => {
    const words = text.split(/\s+/).slice(1);
    const { command, flags } = optionsOf(words);
    expect(command, `no such command in: ${text}`).not.toBe(program);
    const documented = [...text.matchAll(/--[a-z][a-z-]*/g)].map((m) => m[0]);
    expect(documented.filter((f) => !flags.has(f))).toEqual([]);
  });
});

describe('shellWords', () => {
  it('splits like sh: quotes, escapes, comments, pipes', () => {
    expect(shellWords(`npx newswatch test-rule --query '"North Korea" NEAR/10 troops' --text "a b"   # why`)).toEqual([
      ['npx', 'newswatch', 'test-rule', '--query', '"North Korea" NEAR/10 troops', '--text', 'a b'],
    ]);
    expect(shellWords('newswatch feeds export > x.opml | head && newswatch status')).toEqual([
      ['newswatch', 'feeds', 'export', '>', 'x.opml'],
      ['head'],
      ['newswatch', 'status'],
    ]);
    expect(shellWords('a\\ b c#d')).toEqual([['a b', 'c#d']]);
  });
});
