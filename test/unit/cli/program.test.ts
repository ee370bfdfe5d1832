import type { Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram, runNewswatch, type Invocation } from '../../../src/cli/program.js';
import { captureOutput } from '../../support/capture-output.js';

/** Parses a command line with the real program and returns what it would run, running nothing. */
async function parse(args: string[]): Promise<{ code: number; calls: Invocation[]; err: string }> {
  const calls: Invocation[] = [];
  const { code, err } = await captureOutput(() => runNewswatch(args, (call) => (calls.push(call), 0)));
  return { code, calls, err };
}

interface Leaf {
  path: Command[];
  name: string;
}

/** Every command that runs something, with the commands above it. */
function leaves(cmd: Command, above: Command[] = []): Leaf[] {
  const path = above.concat(cmd);
  const own =
    (cmd as unknown as { _actionHandler: unknown })._actionHandler && above.length > 0
      ? [
          {
            path: path.slice(1),
            name: path
              .slice(1)
              .map((c) => c.name())
              .join(' '),
          },
        ]
      : [];
  return own.concat(cmd.commands.flatMap((sub) => leaves(sub, path)));
}

const program = buildProgram(
  () => 0,
  () => {},
);
const LEAVES = leaves(program);
/** Required arguments, so the command line parses. */
const argsFor = (leaf: Leaf) =>
  leaf.path
    .at(-1)!
    .registeredArguments.filter((a) => a.required)
    .map(() => 'x');
const flagOf = (o: Option) => o.long!;
/** The option as written on a command line, and what the command must receive for it. */
const written = (o: Option): { args: string[]; value: unknown } =>
  o.required || o.optional
    ? { args: [flagOf(o), 'v1'], value: o.variadic || o.parseArg ? ['v1'] : 'v1' }
    : { args: [flagOf(o)], value: true };

describe('newswatch command lines: options reach the command wherever they stand', () => {
  it('knows every command', () => {
    expect(LEAVES.map((l) => l.name).sort()).toEqual(
      [
        'alerts',
        'alerts replay',
        'check-config',
        'dry-run',
        'feeds',
        'feeds export',
        'feeds import',
        'fetch',
        'jobs',
        'jobs retry',
        'preview',
        'start',
        'status',
        'test-rule',
      ].sort(),
    );
  });

  const cases = LEAVES.flatMap((leaf) =>
    leaf.path
      .at(-1)!
      .options.filter((o) => o.long !== '--version')
      .map((option) => ({ leaf, option })),
  );
  it.each(cases.map((c) => [c.leaf.name, flagOf(c.option), c] as const))(
    '%s %s, after the command',
    async (_name, _flag, { leaf, option }) => {
      const { args, value } = written(option);
      const { code, calls, err } = await parse([...leaf.path.map((c) => c.name()), ...argsFor(leaf), ...args]);
      expect(err).toBe('');
      expect(code).toBe(0);
      expect(calls).toEqual([
        { command: leaf.name, args: argsFor(leaf), opts: expect.objectContaining({ [option.attributeName()]: value }) },
      ]);
    },
  );

  // `alerts --config DIR replay ID` and `alerts replay ID --config DIR` are the same command line.
  const nested = LEAVES.filter((l) => l.path.length > 1);
  it.each(nested.map((l) => [l.name, l] as const))('%s --config DIR, before and after the subcommand', async (_name, leaf) => {
    const [parent, sub] = leaf.path.map((c) => c.name()) as [string, string];
    for (const line of [
      [parent, '--config', 'DIR', sub, ...argsFor(leaf)],
      [parent, sub, ...argsFor(leaf), '--config', 'DIR'],
    ]) {
      const { calls } = await parse(line);
      expect(calls, line.join(' ')).toEqual([
        expect.objectContaining({ command: leaf.name, opts: expect.objectContaining({ config: 'DIR' }) }),
      ]);
    }
  });

  it('alerts replay --failed is a replay of the failed set, not a missing id', async () => {
    expect((await parse(['alerts', 'replay', '--failed'])).calls).toEqual([
      { command: 'alerts replay', args: [], opts: expect.objectContaining({ failed: true }) },
    ]);
    expect((await parse(['alerts', 'replay', 'a1', '--config', 'cfg'])).calls).toEqual([
      { command: 'alerts replay', args: ['a1'], opts: expect.objectContaining({ config: 'cfg' }) },
    ]);
  });

  it("an unknown option or command is exit 2 with commander's message, and runs nothing", async () => {
    for (const line of [['check-config', '--confg', 'x'], ['replay'], ['alerts', 'replay', '--all']]) {
      const { code, calls, err } = await parse(line);
      expect(code, line.join(' ')).toBe(2);
      expect(calls).toEqual([]);
      expect(err).toMatch(/^error: (unknown option|unknown command)/m);
    }
  });

  it('an unexpected error in a command is one line and exit 2, not a stack trace', async () => {
    const { code, err } = await captureOutput(() =>
      runNewswatch(['status'], () => {
        throw new TypeError('boom');
      }),
    );
    expect(code).toBe(2);
    expect(err).toBe('newswatch status: boom\n');
  });
});
