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
