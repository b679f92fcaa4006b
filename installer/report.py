"""Render check results for people (a table) and for scripts (JSON)."""

import json
import unicodedata

from installer.checks.model import FAIL, PASS, UNKNOWN, WARN, verdict
from installer.i18n import _

JSON_SCHEMA_VERSION = 1

_COLOURS = {PASS: "\033[32m", WARN: "\033[33m", UNKNOWN: "\033[33m", FAIL: "\033[31m"}
_RESET = "\033[0m"


def status_label(status):
    labels = {PASS: _("PASS"), WARN: _("WARN"), FAIL: _("FAIL"), UNKNOWN: _("UNKNOWN")}
    return labels[status]


def pad(text, width):
    """Pad ``text`` with spaces to ``width`` terminal columns (CJK counts double)."""
    columns = sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
    return text + " " * max(0, width - columns)


def render_text(results, colour=False):
    """Return the human-readable report: one line per check, fixes indented below."""
    lines = []
    width = max([len(result.name) for result in results] or [0])
    for result in results:
        label = pad(status_label(result.status), 7)
        if colour:
            label = _COLOURS[result.status] + label + _RESET
        lines.append("{0} {1:<{2}}  {3}".format(label, result.name, width, result.message))
        if result.ignored:
            lines.append("        " + _("(failure ignored on request)"))
        if result.fix and result.status != PASS:
            lines.append("        " + _("fix: {fix}").format(fix=result.fix))
    labels = {PASS: _("the host can take the connector"),
              WARN: _("the host can take the connector; review the warnings"),
              FAIL: _("the host cannot take the connector")}
    overall = verdict(results)
    lines.append("")
    lines.append(_("Verdict: {verdict} ({meaning})").format(
        verdict=status_label(overall), meaning=labels[overall]))
    return "\n".join(lines)


def render_json(results, host_facts):
    """Return the JSON report: schema version, verdict, checks and host facts."""
    document = {
        "schema_version": JSON_SCHEMA_VERSION,
        "verdict": verdict(results),
        "checks": [result.to_dict() for result in results],
        "host": host_facts,
    }
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False)
