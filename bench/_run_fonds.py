"""Run the `fonds` CLI in this process, then print its resource usage as JSON on stderr
(peak RSS of this process and of its largest child), for the benchmarks."""

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
    usage = {
        "maxrss_self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "maxrss_children_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }
    sys.stderr.write("\n" + json.dumps(usage) + "\n")
    return code


if __name__ == "__main__":
    sys.argv[0] = "fonds"
    raise SystemExit(main())
