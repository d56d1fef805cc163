# ipset restore from a file; errors name the line; -exist applies to every line.
printf 'create R1 hash:ip initval 0x31\nadd R1 10.0.0.1\nadd R1 10.0.0.2\n\n# a comment\ncreate R2 hash:ip,port initval 0x32\nadd R2 10.0.0.1,udp:53\nadd R2 10.0.0.1,tcp:53 -exist\n' > good.txt
printf 'create R3 hash:ip initval 0x33\nadd R3 10.0.0.1\nadd R3 10.0.0.1\nadd R3 10.0.0.3\n' > dup.txt
printf 'add R1 bogus\n' > bad.txt
ipset restore -file good.txt
ipset list
ipset restore -file dup.txt
ipset list R3
ipset -! restore -file dup.txt
ipset list R3
ipset restore -file bad.txt
ipset -f good.txt restore
ipset restore -file missing.txt
ipset save
