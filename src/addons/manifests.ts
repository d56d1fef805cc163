// Manifests knetlab answers for well-known addresses, since the lab has no network: `kubectl apply -f
// <url>` with one of these URLs gets the same objects the published file holds (as YAML text, so it
// goes through kubectl's ordinary reading), and any other URL a clear refusal from kubectl.
import { stringify } from 'yaml';
import type { KubeObject } from '../api/index.js';
import { flannelManifest } from './flannel-manifest.js';

/** The addresses of flannel's kube-flannel.yml that users type (README, release notes, the seeds). */
const FLANNEL_URLS = [
  'https://raw.githubusercontent.com/flannel-io/flannel/master/Documentation/kube-flannel.yml',
  'https://github.com/flannel-io/flannel/releases/latest/download/kube-flannel.yml',
  'https://github.com/flannel-io/flannel/releases/download/v0.28.9/kube-flannel.yml',
  'https://raw.githubusercontent.com/flannel-io/flannel/v0.28.9/Documentation/kube-flannel.yml',
];

const KNOWN: ReadonlyMap<string, () => KubeObject[]> = new Map(FLANNEL_URLS.map((u) => [u, flannelManifest]));

/** Every URL knetlab can answer, for the refusal's message. */
export const WELL_KNOWN_MANIFEST_URLS: readonly string[] = [...KNOWN.keys()];

/** The manifest at `url` as multi-document YAML, or undefined when knetlab does not know the address. */
export function wellKnownManifest(url: string): string | undefined {
  const objects = KNOWN.get(url)?.();
  if (!objects) return undefined;
  return objects.map((o) => `---\n${stringify(o, { lineWidth: 0 })}`).join('');
}
