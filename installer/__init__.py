"""Host-side code of the ciscoampconnector package.

Everything under this package runs on managed hosts: it must work on
Python 3.6 with the standard library plus the modules the package bundles
(``distro``).
"""
