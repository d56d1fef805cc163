# A calico-like rule set (raw, mangle, nat, filter) with ipset matches, restored whole.
ipset create cali40masq-ipam-pools hash:net
ipset create cali40all-ipam-pools hash:net
ipset create cali40all-hosts-net hash:net
iptables-restore calico.rules
iptables-save
iptables -t nat -L cali-nat-outgoing -n -v
iptables -t nat -L cali-POSTROUTING
iptables -t raw -S
iptables -L cali-INPUT -n --line-numbers
iptables -t mangle -L -n
iptables -A INPUT -m set --match-set no-such-set src -j ACCEPT
ipset destroy cali40masq-ipam-pools
iptables -t nat -F cali-nat-outgoing
ipset destroy cali40masq-ipam-pools
iptables-restore calico.rules
