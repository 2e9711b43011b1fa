// A worker entry that reports a configuration fault (exit 78), as a worker does when its queue is
// missing or its redrive policy is wrong in a deployed environment.

process.exit(78);
