"""Run host commands with errors that name the command, its status and output."""

import subprocess


class CommandError(Exception):
    """A host command failed; the message carries its argv, status and output."""

    def __init__(self, argv, returncode, output):
        self.argv = argv
        self.returncode = returncode
        self.output = output.strip()
        message = "{0} exited with status {1}".format(" ".join(argv), returncode)
        if self.output:
            message += ": " + self.output
        super(CommandError, self).__init__(message)


def run_command(argv, check=True, timeout=300):
    """Run ``argv``; return (status, combined output). Raise CommandError if asked."""
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               universal_newlines=True)
    try:
        output, _unused = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _unused = process.communicate()
        raise CommandError(argv, "timeout after {0} s".format(timeout), output)
    if check and process.returncode != 0:
        raise CommandError(argv, process.returncode, output)
    return process.returncode, output
