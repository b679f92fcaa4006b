"""Pure parsers of host files: each takes the file's text and returns data.

None of them opens a file. Lines they cannot read are skipped, so a damaged
file yields less data, never a traceback. The only exception raised is
:class:`~installer.parsers.endpoints.EndpointError`, by the endpoint and
proxy parsers, because a bad value there is a user error to report. The
checks in :mod:`installer.checks` do the reading.
"""
