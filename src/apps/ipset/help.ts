// `ipset help`: the usage text of ipset v7.17 (default_help() in src/ipset.c) and the set types
// and revisions the installed tool lists after it, as Debian 12's ipset 7.17 prints them.

export const DEFAULT_HELP = `ipset v7.17

Usage: ipset [options] COMMAND

Commands:
create SETNAME TYPENAME [type-specific-options]
        Create a new set
add SETNAME ENTRY
        Add entry to the named set
del SETNAME ENTRY
        Delete entry from the named set
test SETNAME ENTRY
        Test entry in the named set
destroy [SETNAME]
        Destroy a named set or all sets
list [SETNAME]
        List the entries of a named set or all sets
save [SETNAME]
        Save the named set or all sets to stdout
restore 
        Restore a saved state
flush [SETNAME]
        Flush a named set or all sets
rename FROM-SETNAME TO-SETNAME
        Rename two sets
swap FROM-SETNAME TO-SETNAME
        Swap the contect of two existing sets
help [TYPENAME]
        Print help, and settype specific help
version 
        Print version information
quit 
        Quit interactive mode

Options:
-o plain|save|xml
       Specify output mode for listing sets.
       Default value for "list" command is mode "plain"
       and for "save" command is mode "save".
-s 
        Print elements sorted (if supported by the set type).
-q 
        Suppress any notice or warning message.
-r 
        Try to resolve IP addresses in the output (slow!)
-! 
        Ignore errors when creating or adding sets or
        elements that do exist or when deleting elements
        that don't exist.
-n 
        When listing, just list setnames from the kernel.

-t 
        When listing, list setnames and set headers
        from kernel only.
-f 
        Read from the given file instead of standard
        input (restore) or write to given file instead
        of standard output (list/save).
`;

export const SUPPORTED_TYPES = `
Supported set types:
    list:set\t\t3\tskbinfo support
    list:set\t\t2\tcomment support
    list:set\t\t1\tcounters support
    list:set\t\t0\tInitial revision
    hash:mac\t\t1\tbucketsize, initval support
    hash:mac\t\t0\tInitial revision
    hash:ip,mac\t\t1\tbucketsize, initval support
    hash:ip,mac\t\t0\tInitial revision
    hash:net,iface\t8\tbucketsize, initval support
    hash:net,iface\t7\tskbinfo and wildcard support
    hash:net,iface\t6\tskbinfo support
    hash:net,iface\t5\tforceadd support
    hash:net,iface\t4\tcomment support
    hash:net,iface\t3\tcounters support
    hash:net,iface\t2\t/0 network support
    hash:net,iface\t1\tnomatch flag support
    hash:net,iface\t0\tInitial revision
    hash:net,port\t8\tbucketsize, initval support
    hash:net,port\t7\tskbinfo support
    hash:net,port\t6\tforceadd support
    hash:net,port\t5\tcomment support
    hash:net,port\t4\tcounters support
    hash:net,port\t3\tnomatch flag support
    hash:net,port\t2\tAdd/del range support
    hash:net,port\t1\tSCTP and UDPLITE support
    hash:net,port,net\t3\tbucketsize, initval support
    hash:net,port,net\t2\tskbinfo support
    hash:net,port,net\t1\tforceadd support
    hash:net,port,net\t0\tinitial revision
    hash:net,net\t4\tnetmask and bitmask support
    hash:net,net\t3\tbucketsize, initval support
    hash:net,net\t2\tskbinfo support
    hash:net,net\t1\tforceadd support
    hash:net,net\t0\tinitial revision
    hash:net\t\t7\tbucketsize, initval support
    hash:net\t\t6\tskbinfo support
    hash:net\t\t5\tforceadd support
    hash:net\t\t4\tcomment support
    hash:net\t\t3\tcounters support
    hash:net\t\t2\tnomatch flag support
    hash:net\t\t1\tAdd/del range support
    hash:net\t\t0\tInitial revision
    hash:ip,port,net\t8\tbucketsize, initval support
    hash:ip,port,net\t7\tskbinfo support
    hash:ip,port,net\t6\tforceadd support
    hash:ip,port,net\t5\tcomment support
    hash:ip,port,net\t4\tcounters support
    hash:ip,port,net\t3\tnomatch flag support
    hash:ip,port,net\t2\tAdd/del range support
    hash:ip,port,net\t1\tSCTP and UDPLITE support
    hash:ip,port,ip\t6\tbucketsize, initval support
    hash:ip,port,ip\t5\tskbinfo support
    hash:ip,port,ip\t4\tforceadd support
    hash:ip,port,ip\t3\tcomment support
    hash:ip,port,ip\t2\tcounters support
    hash:ip,port,ip\t1\tSCTP and UDPLITE support
    hash:ip,mark\t3\tbucketsize, initval support
    hash:ip,mark\t2\tskbinfo support
    hash:ip,mark\t1\tforceadd support
    hash:ip,mark\t0\tinitial revision
    hash:ip,port\t7\tnetmask and bitmask support
    hash:ip,port\t6\tbucketsize, initval support
    hash:ip,port\t5\tskbinfo support
    hash:ip,port\t4\tforceadd support
    hash:ip,port\t3\tcomment support
    hash:ip,port\t2\tcounters support
    hash:ip,port\t1\tSCTP and UDPLITE support
    hash:ip\t\t6\tbitmask support
    hash:ip\t\t5\tbucketsize, initval support
    hash:ip\t\t4\tskbinfo support
    hash:ip\t\t3\tforceadd support
    hash:ip\t\t2\tcomment support
    hash:ip\t\t1\tcounters support
    hash:ip\t\t0\tInitial revision
    bitmap:port\t\t3\tskbinfo support
    bitmap:port\t\t2\tcomment support
    bitmap:port\t\t1\tcounters support
    bitmap:port\t\t0\tInitial revision
    bitmap:ip,mac\t3\tskbinfo support
    bitmap:ip,mac\t2\tcomment support
    bitmap:ip,mac\t1\tcounters support
    bitmap:ip,mac\t0\tInitial revision
    bitmap:ip\t\t3\tskbinfo support
    bitmap:ip\t\t2\tcomment support
    bitmap:ip\t\t1\tcounters support
    bitmap:ip\t\t0\tInitial revision
`;
