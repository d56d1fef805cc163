# ipset v7.17 command lines: commands by any prefix of their name or alias (c, cr, n, a, de, des,
# x, l, s, ren, e, w, --add, -A), global options anywhere on the line (-!, --exist, -o save,
# --quiet), missing and extra arguments, unknown words, and the exit status of each.
ipset c s1 hash:ip initval 0x1
ipset cr s2 hash:ip family inet initval 2
ipset n s3 hash:net initval 3
ipset --create s4 hash:ip,port initval 4
ipset -N s5 hash:ip initval 5
ipset create s1 hash:ip
ipset create -! s1 hash:ip
ipset --exist create s1 hash:ip
ipset create s1 hash:ip --exist
ipset a s1 10.0.0.1
ipset ad s1 10.0.0.2
ipset --add s1 10.0.0.3
ipset -A s1 10.0.0.4
ipset --a s1 10.0.0.5
ipset A s1 10.0.0.6
ipset -a s1 10.0.0.6
ipset t s1 10.0.0.1
ipset te s1 10.0.0.9
ipset -T s1 10.0.0.2
ipset d s1 10.0.0.1
ipset de s1 10.0.0.2
ipset del s1 10.0.0.2
ipset -D s1 10.0.0.2 -exist
ipset l s1 -n
ipset li s1 -o save
ipset -L s1 --output save
ipset list -t nonexistent
ipset list -terse -name s1
ipset list --terse --name s1
ipset list -n
ipset list --name
ipset -n list
ipset s s1
ipset sa s1
ipset -S s1
ipset save -o plain s1
ipset save -o json s1
ipset save -o foo s1
ipset save -o
ipset f s2
ipset fl s2
ipset -F s2
ipset ren s2 s6
ipset e s6 s7
ipset -E s7 s8
ipset rename s8
ipset w s8 s3
ipset sw s8 s5
ipset -W s8 s5
ipset swap s8
ipset des s8
ipset x s3
ipset -X s4
ipset destroy s5 extra
ipset v
ipset ve
ipset -v
ipset -V
ipset --version
ipset version extra
ipset
ipset foo
ipset -q foo
ipset --
ipset -x
ipset create
ipset create s9
ipset add s1
ipset add
ipset test s1
ipset test
ipset add s1 10.0.0.1 timeout
ipset add s1 10.0.0.1 foo
ipset create s9 hash:ip foo
ipset create s9 hash:ip hashsize
ipset create s9 foo:bar
ipset create s9 hash:ip -q -q
ipset -q add s1 10.0.0.1
ipset add -q s1 10.0.0.1
ipset add s1 10.0.0.1 -quiet
ipset --quiet add s1 10.0.0.1
ipset add s1 10.0.0.1 ---quiet
ipset -r list s1 -o save
ipset -s list s1 -o save
ipset --sorted list s1 -o save
ipset list -sorted s1 -o xml
ipset flush s1 s2
ipset list s1 s2
ipset list nonexistent
ipset res extra
ipset quit
ipset q
ipset h foo:bar
ipset help
ipset -q help foo:bar
ipset --help foo extra
ipset restore file
ipset -R -f
ipset list -n
ipset destroy
ipset list
