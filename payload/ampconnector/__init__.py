"""Reference connector for Cisco Secure Endpoint Linux: ampdaemon, ampmon and ampcli.

The package ships it in place of the vendor's binaries until those are packaged. It serves the
control socket and reports honest status, but it has no scan engine and no
vendor cloud connection.
"""
