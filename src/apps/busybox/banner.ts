// The first line of every BusyBox applet's usage text: the version and build date of the busybox
// image's binary (busybox:latest's glibc build).
export const BUSYBOX_BANNER = 'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.';
/** busybox:1.28's (1.28.4; UNVERIFIED: the build date is not from the image). */
export const BUSYBOX_BANNER_1_28 = 'BusyBox v1.28.4 (2018-05-22 17:00:17 UTC) multi-call binary.';
