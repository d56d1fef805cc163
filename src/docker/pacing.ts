// A container's main script that loops without sleeping (`while true; do echo hi; done`) would run
// in one go on the lab's thread: the clock never moves, nothing else runs, and the lab hangs. On a
// node such a loop takes CPU time, so here each loop pass is charged virtual time: every loop's body
// begins with a hidden command that, every PASSES_PER_SLICE passes, waits SLICE_MS on the lab's
// clock, unless the clock moved meanwhile (the loop sleeps, or a tool in it waited). Coarse, and
// said so in the README: a loop that never waits makes 100 passes per virtual second.
import { defineCommand, type Bash, type CustomCommand } from 'just-bash/browser';
import { eachNode, type Node } from './ast.js';

/** The hidden command at the start of every loop body. */
const PACE_COMMAND = 'knetlab-loop-pass';
/**
 * Named by its path, so a script's own PATH does not matter; the script's files (LogFs) answer for
 * this one path, which no listing shows.
 */
export const PACE_PATH = `/usr/bin/${PACE_COMMAND}`;
/** What `set -x` prints for it (PS4's `+` once per nesting level): kept out of the container's log. */
export const PACE_TRACE = new RegExp(`^\\++ ${PACE_PATH}\n`, 'gm');

const PASSES_PER_SLICE = 10;
const SLICE_MS = 100;

const LOOPS = new Set(['While', 'Until', 'For', 'CStyleFor']);

const paceStatement = (): Node => ({
  type: 'Statement',
  pipelines: [
    {
      type: 'Pipeline',
      commands: [
        {
          type: 'SimpleCommand',
          name: { type: 'Word', parts: [{ type: 'Literal', value: PACE_PATH }] },
          args: [],
          assignments: [],
          redirections: [],
        },
      ],
      negated: false,
      timed: false,
      timePosix: false,
    },
  ],
  operators: [],
  background: false,
});

/** Puts the pacing command first in the body of every loop of the tree, however deeply nested. */
function paceLoops(root: unknown): void {
  eachNode(root, (n) => {
    if (LOOPS.has(n.type) && Array.isArray(n.body)) n.body.unshift(paceStatement());
  });
}

/** The transform that paces a container script's loops. */
export const PACE_LOOPS: Parameters<Bash['registerTransformPlugin']>[0] = {
  name: 'knetlab-pace-loops',
  transform: ({ ast }) => {
    paceLoops(ast.statements);
    return { ast };
  },
};

/** The pacing command: counts the loop passes made while the clock stood still; every PASSES_PER_SLICE, sleeps SLICE_MS on it. */
export function paceCommand(now: () => number, sleep: (ms: number) => Promise<void>): CustomCommand {
  let passes = 0;
  let at = now();
  return defineCommand(PACE_COMMAND, async () => {
    if (now() !== at) passes = 0;
    if (++passes === PASSES_PER_SLICE) {
      passes = 0;
      await sleep(SLICE_MS);
    }
    at = now();
    return { stdout: '', stderr: '', exitCode: 0 };
  });
}
