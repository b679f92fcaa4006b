"""cisco-ampupdater: keep the connector and its ClamAV definitions current.

One run (``run.py``) queries the host's package manager for a newer
``ciscoampconnector`` within the configured policy, installs it, waits for
the connector to report healthy and rolls back to a package kept aside
before the update when it does not. ``definitions.py`` refreshes the ClamAV
definitions. The cron job or systemd timer calls ``ampupdater run``.
"""
