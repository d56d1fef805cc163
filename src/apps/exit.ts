// How an emulated tool ends early: the message it prints and its exit status, thrown from deep in
// its parsing or its work and turned into output once, where the command returns.
import type { Proc } from './proc.js';

/** The tool exits with `status` after printing `text` (whole lines) on stderr, or on stdout where the real one prints there. */
export class ToolExit extends Error {
  constructor(
    readonly status: number,
    readonly text: string,
    readonly toStdout = false,
  ) {
    super(text);
    this.name = 'ToolExit';
  }

  /** Prints the message where the tool prints it and returns the exit status. */
  report(proc: Pick<Proc, 'stdout' | 'stderr'>): number {
    if (this.toStdout) proc.stdout(this.text);
    else proc.stderr(this.text);
    return this.status;
  }
}
