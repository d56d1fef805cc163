# sysctl (procps-ng 4.0.2) command lines as getopt_long reads them; a usage error prints the usage on stdout and exits 0.
sysctl
sysctl -Z
sysctl --foo
sysctl --pattern
sysctl -r
sysctl --system=x
sysctl -h
sysctl -V
sysctl -w
sysctl -Nq net.ipv4.ip_forward
sysctl --val net.ipv4.ip_forward
sysctl net.ipv4.ip_forward -n
sysctl --n net.ipv4.ip_forward
sysctl -b net.ipv4.ip_forward
sysctl -nb net.ipv4.ip_forward=1
sysctl -N net.ipv4.ip_forward=0
sysctl -ox net.ipv4.ip_forward
sysctl -qw net.ipv4.ip_forward=1
sysctl -- -n
sysctl -e --values net.ipv4.nonexistent
