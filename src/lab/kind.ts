// The `kind` family: `knetlab kind create cluster …` and friends act on the lab's kind clusters
// (src/kind); the config file or stdin comes through the client.
import { runKind } from '../kind/index.js';
import type { CommandFamily } from './command.js';
import { publishNode } from './published.js';

export const kind: CommandFamily = {
  name: 'kind',
  run: (lab, argv, io) =>
    runKind(lab.kind, argv, {
      stdout: (t) => io.stdout(t),
      stderr: (t) => io.stderr(t),
      readFile: (p) => io.readFile(p),
      ...(io.stdin === undefined ? {} : { stdin: io.stdin }),
      wait: (ms) => lab.wait(ms, io.signal),
      publish: (_node, ports, bindIp) => publishNode(lab, ports, bindIp, io),
    }),
  // get … only reads; create, delete and export change the lab (export: the current context).
  mutates: (argv) => argv[0] !== 'get',
};
