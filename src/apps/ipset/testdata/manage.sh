# Set management: slots, rename, swap, flush, destroy, -exist create.
ipset create A hash:ip initval 0x21
ipset create B hash:ip initval 0x22
ipset create C hash:net initval 0x23
ipset add A 1.1.1.1
ipset add B 2.2.2.2
ipset add B 2.2.2.3
ipset list -n
ipset destroy A
ipset create D bitmap:port range 1-10
ipset list -n
ipset rename B BB
ipset rename BB C
ipset list -n
ipset swap BB D
ipset create A hash:ip initval 0x24
ipset add A 9.9.9.9
ipset swap BB A
ipset list
ipset flush A
ipset list A
ipset flush
ipset list -t
ipset destroy
ipset list
ipset list -n
