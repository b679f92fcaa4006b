"""Exit statuses of the package's commands, one table for all of them."""

OK = 0  # every check passed / the command did what was asked
WARNINGS = 1  # checks ran, some warned or could not tell, none failed
FAILED = 2  # at least one check failed: the host cannot take the connector
USAGE = 64  # bad command line (EX_USAGE in sysexits.h)
INTERNAL = 70  # a bug or an unexpected error (EX_SOFTWARE in sysexits.h)

BY_VERDICT = {"pass": OK, "warn": WARNINGS, "fail": FAILED}
