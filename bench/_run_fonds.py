"""Run the `fonds` CLI in this process, then print its resource usage as JSON on stderr
(peak RSS of this process and of its largest child, CPU seconds of both), for the benchmarks."""

from __future__ import annotations

import json
import resource
import sys


def main() -> int:
    from webapp.cli import main as fonds

    code = 0
    try:
        fonds()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    usage = {
        "maxrss_self_mb": own.ru_maxrss / 1024,
        "maxrss_children_mb": children.ru_maxrss / 1024,
        # CPU seconds (user + system): on a shared machine far steadier than the wall time
        "cpu_self_s": own.ru_utime + own.ru_stime,
        "cpu_children_s": children.ru_utime + children.ru_stime,
    }
    sys.stderr.write("\n" + json.dumps(usage) + "\n")
    return code


if __name__ == "__main__":
    sys.argv[0] = "fonds"
    raise SystemExit(main())
