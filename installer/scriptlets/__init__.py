"""Package scriptlets: one lifecycle model behind RPM's and Debian's hooks."""
