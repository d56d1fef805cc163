// The first line of every BusyBox applet's usage text: the version and build date of the busybox
// image's binary (busybox:latest's glibc build).
export const BUSYBOX_BANNER = 'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.';
