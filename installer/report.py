"""Render check results for people (a table) and for scripts (JSON).

The JSON document follows ``installer/data/preflight-report.schema.json``;
raise ``JSON_SCHEMA_VERSION`` whenever a change could break a reader.
"""

import json
import platform
import socket
import unicodedata

from installer.checks.model import FAIL, PASS, SKIP, STATUSES, UNKNOWN, WARN, verdict
from installer.checks.os_detect import identify
from installer.i18n import _

JSON_SCHEMA_VERSION = 2

_COLOURS = {PASS: "\033[32m", WARN: "\033[33m", UNKNOWN: "\033[33m", FAIL: "\033[31m",
            SKIP: "\033[2m"}
_RESET = "\033[0m"


def status_label(status):
    labels = {PASS: _("PASS"), WARN: _("WARN"), FAIL: _("FAIL"), UNKNOWN: _("UNKNOWN"),
              SKIP: _("SKIP")}
    return labels[status]


def columns(text):
    """Return the terminal columns ``text`` takes (East Asian wide characters take two)."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def pad(text, width):
    """Pad ``text`` with spaces to ``width`` terminal columns (CJK counts double)."""
    return text + " " * max(0, width - columns(text))


def render_text(results, colour=False):
    """Return the human-readable report: one line per check, fixes indented below."""
    lines = []
    label_width = max([columns(status_label(status)) for status in STATUSES])
    name_width = max([len(result.name) for result in results] or [0])
    indent = " " * (label_width + 1)
    for result in results:
        label = pad(status_label(result.status), label_width)
        if colour:
            label = _COLOURS[result.status] + label + _RESET
        lines.append("{0} {1}  {2}".format(label, pad(result.name, name_width), result.message))
        if result.ignored:
            lines.append(indent + _("(failure ignored on request)"))
        if result.fix and result.status not in (PASS, SKIP):
            lines.append(indent + _("fix: {fix}").format(fix=result.fix))
    labels = {PASS: _("the host can take the connector"),
              WARN: _("the host can take the connector; review the warnings"),
              FAIL: _("the host cannot take the connector")}
    overall = verdict(results)
    lines.append("")
    lines.append(_("Verdict: {verdict} ({meaning})").format(
        verdict=status_label(overall), meaning=labels[overall]))
    failed = [result.name for result in results if result.status == FAIL]
    if failed:
        # How to override lives here, not in each fix, because the pre-install
        # scriptlet offers the same override as an environment variable.
        lines.append(_("To proceed anyway, at your own risk: --ignore {names}").format(
            names=",".join(failed)))
    return "\n".join(lines)


def host_facts(ctx):
    """Return what the report states about the examined host, whichever checks ran."""
    found = identify(ctx)
    return {
        "root": ctx.root,
        "live": ctx.is_live,
        "hostname": socket.gethostname() if ctx.is_live else None,
        "machine": ctx.machine,
        "kernel": ctx.kernel_release,
        "os": {"id": found["id"] or None, "version": found["version"] or None,
               "pretty_name": found["pretty_name"] or None},
        "python": platform.python_version(),
        "tool_version": ctx.tool_version,
    }


def render_json(results, facts, ignore=()):
    """Return the JSON report: schema version, verdict, summary, checks and host facts."""
    summary = {status: 0 for status in STATUSES}
    for result in results:
        summary[result.status] += 1
    document = {
        "schema_version": JSON_SCHEMA_VERSION,
        "verdict": verdict(results),
        "summary": summary,
        "ignored": sorted(set(ignore)),
        "checks": [result.to_dict() for result in results],
        "host": facts,
    }
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False)


def write_line(stream, text):
    """Write ``text`` and a newline to ``stream`` with :func:`write_text`."""
    write_text(stream, text + "\n")


def write_text(stream, text):
    """Write ``text``, as UTF-8 bytes when the stream's encoding cannot encode it.

    Python 3.6 gives stdout the locale's encoding, ASCII when LANG names a
    locale that is not installed, so Japanese messages or a non-ASCII
    PRETTY_NAME would otherwise fail with UnicodeEncodeError on stdout and
    turn into backslash escapes on stderr.
    """
    try:
        text.encode(getattr(stream, "encoding", None) or "utf-8")
    except (UnicodeEncodeError, LookupError):
        if hasattr(stream, "buffer"):
            stream.flush()
            stream.buffer.write(text.encode("utf-8"))
            stream.buffer.flush()
            return
    stream.write(text)
