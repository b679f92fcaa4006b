"""Read which kernel modules are loaded from a /proc/modules file."""

import errno


def parse_proc_modules(text):
    """Return the set of module names in /proc/modules text (first field of each line)."""
    names = set()
    for line in text.splitlines():
        fields = line.split()
        if fields:
            names.add(fields[0])
    return names


def loaded_modules(modules_file):
    """Return the loaded module names, or None when ``modules_file`` does not exist.

    None means "cannot tell" (a kernel without loadable-module support, or a
    container without /proc/modules), never "nothing is loaded".
    """
    try:
        with open(modules_file, "r") as handle:
            return parse_proc_modules(handle.read())
    except (IOError, OSError) as error:
        if error.errno == errno.ENOENT:
            return None
        raise
