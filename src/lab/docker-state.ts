// The lab's docker daemon state (its engine and the files of containers that are not kind nodes),
// apart from the docker family so that the container runtime can ask whether a node runs without
// importing the family (which registers the node tools that use the runtime).
import { DockerEngine, type Files } from '../docker/index.js';
import type { Lab } from './lab.js';

export interface DockerState {
  readonly engine: DockerEngine;
  readonly files: Map<string, Files>;
}

// One daemon per lab, made on the first docker command (a replay makes it again the same way).
const states = new WeakMap<Lab, DockerState>();

export function state(lab: Lab): DockerState {
  let s = states.get(lab);
  if (!s) {
    s = { engine: new DockerEngine(lab.kind, () => lab.clock.now()), files: new Map() };
    states.set(lab, s);
  }
  return s;
}

/** Whether container NAME (a kind node) runs: `docker stop` or `docker pause` takes its kubelet off the network. */
export function containerRunning(lab: Lab, name: string): boolean {
  const c = state(lab).engine.find(name);
  return c === undefined || c.status === 'running';
}
