// Records walk events for packets that carry a Walk. The detail is built lazily so untraced
// packets (benchmarks, bulk traffic) pay nothing for it.
import type { Link } from './link.js';
import type { Netns } from './netns.js';
import type { Skb } from './skb.js';
import type { WalkStage } from './walk.js';

export function trace(skb: Skb, ns: Netns, dev: Link | undefined, stage: WalkStage, detail: () => string): void {
  if (!skb.walk) return;
  skb.walk.record({ t: ns.kernel.clock.now(), netns: ns.label, dev: dev?.name, stage, detail: detail() });
}
