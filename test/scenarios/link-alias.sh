# ip link set DEV alias TEXT (IFLA_IFALIAS): shown by ip link and ip -d, not by ip addr; an empty
# alias removes it; ip link add ignores one. Found by the fuzzer (seed 80).
ip link add veth0 alias hello type veth peer name veth1
ip link show veth0
ip link set dev veth0 alias veth0-alias
ip link show veth0
ip -o link show veth0
ip -j link show veth0
ip addr show veth0
ip link set veth0 al "my alias"
ip -d link show veth0
ip link set veth0 alias ""
ip link show veth0
