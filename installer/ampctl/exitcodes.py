"""Exit statuses of ampctl (sysexits.h values where one fits)."""

OK = 0  # done, or nothing needed doing
FAILED = 1  # the action failed; the message names the cause and the fix
USAGE = 64  # bad command line (EX_USAGE)
INTERNAL = 70  # a bug or an unexpected error (EX_SOFTWARE)
LOCKED = 75  # another installer step held the lock too long (EX_TEMPFAIL)
NOT_ROOT = 77  # the command changes the host and needs root (EX_NOPERM)
