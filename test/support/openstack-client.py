"""The openstack CLI, kept running for the system tests: one request per line on stdin, one answer per line on stdout.

A request is a JSON object {"argv": [...], "env": {...}}: the arguments after `openstack` and the OS_* variables of
that call (OS_CLIENT_CONFIG_FILE names the clouds.yaml). The answer is {"status": N, "stdout": "...", "stderr": "..."}.
Each request runs openstackclient.shell.main(argv), the function /usr/bin/openstack runs, in this process: the same
commands, options, API calls and messages as the CLI, without paying Python's start-up and the import of every
client plugin (about 1.3 s of CPU per call on the test machine) again for each call.
"""
import contextlib
import io
import json
import os
import sys

from openstackclient import shell


def run(request):
    for key in [k for k in os.environ if k.startswith("OS_")]:
        del os.environ[key]
    os.environ.update(request.get("env", {}))
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = shell.main(request["argv"])
        except SystemExit as exit_:
            status = exit_.code if isinstance(exit_.code, int) else 1
        except Exception as error:  # the CLI would print a traceback and exit 1
            print(f"{type(error).__name__}: {error}", file=sys.stderr)
            status = 1
    return {"status": status or 0, "stdout": out.getvalue(), "stderr": err.getvalue()}


for line in sys.stdin:
    sys.__stdout__.write(json.dumps(run(json.loads(line))) + "\n")
    sys.__stdout__.flush()
