"""Build tooling: stages the payload and builds the RPM, the DEB and the zipapp.

Runs on the build machine with current Python; nothing here is shipped.
"""
