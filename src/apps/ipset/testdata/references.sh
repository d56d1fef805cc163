# Sets used by iptables rules: References counts them; destroy and rename refuse while referenced.
ipset create S hash:ip,port initval 0x51
ipset create U hash:ip,port initval 0x52
ipset add S 10.96.0.1,tcp:443
iptables -A INPUT -m set --match-set S dst,dst -j ACCEPT
iptables -A INPUT -m set --match-set S src,src -j ACCEPT
ipset list S
ipset list -t U
ipset destroy S
ipset destroy
ipset list -n
ipset rename S T
ipset swap S U
ipset list -t
ipset flush S
iptables -F INPUT
ipset list -t
ipset rename S T
ipset destroy
ipset list -n
