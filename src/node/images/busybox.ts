// busybox (CMD sh): BusyBox's applets only; a pod keeps it up with `sleep 3600` or similar.
import { BUSYBOX_APPLETS, type WorkloadImage } from './image.js';

export const busyboxImage: WorkloadImage = {
  name: 'busybox',
  entrypoint: [],
  cmd: ['sh'],
  commands: BUSYBOX_APPLETS,
  busybox: BUSYBOX_APPLETS,
  shell: 'sh',
  program: () => undefined,
};

/** busybox:1.28 and older tags (the tag kubernetes.io's DNS pages use): its nslookup predates 1.29's rewrite. */
export const busyboxLegacyImage: WorkloadImage = { ...busyboxImage, busyboxProgram: 'busybox-1.28' };
