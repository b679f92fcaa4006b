"""Reference connector for Cisco Secure Endpoint Linux: ampdaemon, ampmon and ampcli.

It stands in for the vendor's binaries until they are packaged. It serves the
control socket and reports honest status, but it has no scan engine and no
vendor cloud connection.
"""
