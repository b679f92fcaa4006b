"""Status fields of the connector and their text in ``ampcli status``.

The values are honest for a connector without a scan engine or a vendor cloud
connection: "Last Scan" is always "Never", and "Connected" only means a TCP
connection to a configured endpoint succeeded.
"""

from ampconnector import cloud

STATUS_TEXT = {
    cloud.NOT_CONFIGURED: "Offline (no cloud endpoint configured)",
    cloud.CHECKING: "Connecting",
    cloud.CONNECTED: "Connected",
    cloud.DISCONNECTED: "Disconnected",
}

# Shown instead of "no cloud endpoint configured" when amp.conf names endpoints
# but none is valid; the Faults line names the error.
OFFLINE_INVALID_ENDPOINTS = "Offline (invalid cloud endpoint in amp.conf; see Faults)"

MODE_TEXT = {"audit": "Audit", "protect": "Protect"}

# The two policies a new connector starts with; they differ only in file conviction mode.
POLICY_TEXT = {
    "audit": "Audit Policy for Secure Endpoint Linux (#1)",
    "protect": "Protect Policy for Secure Endpoint Linux (#2)",
}

SCAN_READY = "Ready for scan"
LAST_SCAN_NEVER = "Never"

# (label printed by ampcli, key in the status response), in the order ampcli prints them.
STATUS_LINES = (
    ("Status", "status"),
    ("Mode", "mode"),
    ("Scan", "scan"),
    ("Last Scan", "last_scan"),
    ("Policy", "policy"),
    ("Faults", "faults"),
    ("Version", "version"),
    ("Identity", "identity"),
)


def build_status(cloud_state, mode, faults, version, identity_uuid, pid, endpoints_invalid=False):
    """Return the status response fields, without the "ok" envelope."""
    text = STATUS_TEXT[cloud_state]
    if cloud_state == cloud.NOT_CONFIGURED and endpoints_invalid:
        text = OFFLINE_INVALID_ENDPOINTS
    return {
        "status": text,
        "mode": MODE_TEXT[mode],
        "scan": SCAN_READY,
        "last_scan": LAST_SCAN_NEVER,
        "policy": POLICY_TEXT[mode],
        "faults": faults,
        "version": version,
        "identity": identity_uuid,
        "pid": pid,
    }


def format_faults(faults):
    """Return "None" or the fault ids joined by ", "."""
    if not faults:
        return "None"
    return ", ".join(str(fault.get("id", "?")) if isinstance(fault, dict) else str(fault)
                     for fault in faults)


def format_status_lines(response):
    """Return the ``Key: value`` lines of ``ampcli status`` for a status response."""
    lines = []
    for label, key in STATUS_LINES:
        value = response.get(key)
        if key == "faults":
            text = format_faults(value)
        elif value is None:
            text = "Unknown"
        else:
            text = str(value)
        lines.append("{}: {}".format(label, text))
    return lines
