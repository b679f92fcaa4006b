"""ampctl: the connector's lifecycle command (status, enable, disable, start, stop, purge, repair)."""
