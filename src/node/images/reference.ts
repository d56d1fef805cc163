// An image reference as containerd stores it, and the ID knetlab gives it (it has no image content
// to digest): derived from the fully qualified reference, so crictl, kind load and every node agree.
import { Rng } from '../../sim/index.js';
import { parseImageRef } from './index.js';

/** The fully qualified reference containerd stores: docker.io/library/nginx:latest. */
export function fullRef(ref: string): { repo: string; tag: string } {
  const { repository, tag } = parseImageRef(ref);
  const first = ref.split('/')[0]!;
  const registry = ref.includes('/') && /[.:]|^localhost$/.test(first) ? first : 'docker.io';
  const repo = registry === 'docker.io' && !repository.includes('/') ? `docker.io/library/${repository}` : `${registry}/${repository}`;
  return { repo, tag };
}

/** The image's ID (64 hex digits, without `sha256:`). */
export function imageId(ref: string): string {
  const { repo, tag } = fullRef(ref);
  return [...new Rng(`image/${repo}:${tag}`).bytes(32)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
