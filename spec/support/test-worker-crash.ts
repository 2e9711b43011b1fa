// A worker entry that dies during boot, for the crash-loop process spec.

process.exit(1);
