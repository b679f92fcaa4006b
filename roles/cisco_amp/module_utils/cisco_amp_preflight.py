"""Run amp-preflight from the content the cisco_amp_info action sent, and read its verdict."""

import base64
import json
import os
import tempfile

# Exit statuses of amp-preflight that come with a JSON report: pass, warn, fail.
REPORTED = (0, 1, 2)
# The end of stderr kept when amp-preflight gives no report, enough for a traceback.
STDERR_TAIL = 2000


def run_preflight(module, encoded, python, ignore):
    """Return the verdict, the failed checks and, when amp-preflight did not report, its exit and stderr."""
    handle, path = tempfile.mkstemp(prefix="amp-preflight-", suffix=".pyz", dir=module.tmpdir)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(base64.b64decode(encoded))
        argv = [python, path, "--json"] + (["--ignore", ",".join(ignore)] if ignore else [])
        rc, out, err = module.run_command(argv)
    finally:
        os.unlink(path)
    report = None
    if rc in REPORTED:
        try:
            report = json.loads(out)
        except ValueError:
            report = None
    if not isinstance(report, dict):
        return {"verdict": "error", "rc": rc, "stderr": err.strip()[-STDERR_TAIL:], "failed": []}
    failed = [
        {"name": check.get("name"), "message": check.get("message"), "fix": check.get("fix") or ""}
        for check in report.get("checks", [])
        if check.get("status") == "fail"
    ]
    return {"verdict": report.get("verdict"), "rc": rc, "failed": failed}
