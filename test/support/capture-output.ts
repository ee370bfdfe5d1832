import { vi } from 'vitest';

export interface CommandOutcome {
  code: number;
  out: string;
  err: string;
}

/** Runs a CLI command function in-process, capturing what it writes to stdout and stderr. */
export async function captureOutput(command: () => Promise<number> | number): Promise<CommandOutcome> {
  let out = '';
  let err = '';
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((err += String(chunk)), true));
  try {
    return { code: await command(), out, err };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}
