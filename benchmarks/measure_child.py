"""Run a command and print its resource usage as JSON on stderr's last line.

The benchmark starts clients through this small process: Linux carries the peak RSS of the
process that forked a child into the child's own figure, and the benchmark process itself is
big (it holds the sandbox's data), so measuring from here keeps each client's peak RSS its own.

    python benchmarks/measure_child.py OUT_FILE -- COMMAND [ARGS...]
"""

import json
import os
import subprocess
import sys


def main():
    out_path, _, argv = sys.argv[1], sys.argv[2], sys.argv[3:]
    with open(out_path, "w") as out:
        proc = subprocess.Popen(argv, stdout=out)
        _, status, usage = os.wait4(proc.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    print(
        json.dumps({"code": code, "user": usage.ru_utime, "sys": usage.ru_stime, "maxrss_kb": usage.ru_maxrss}),
        file=sys.stderr,
    )
    sys.exit(code)


if __name__ == "__main__":
    main()
