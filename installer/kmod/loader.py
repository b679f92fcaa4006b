"""The one interface that loads and unloads kernel modules: a configured command."""

import shlex

from installer.commands import run_command


class LoadFailed(Exception):
    """A load or unload command failed; the message carries its output."""


class CommandLoader(object):
    """Run the configured load or unload command for one module."""

    def __init__(self, config):
        self.config = config

    def _argv(self, template, name):
        return [word.format(name=name, path=self.config.module_path(name))
                for word in shlex.split(template)]

    def _run(self, template, name):
        argv = self._argv(template, name)
        try:
            status, output = run_command(argv, check=False, timeout=120)
        except OSError as error:
            raise LoadFailed("{0}: {1}".format(argv[0], error.strerror))
        if status != 0:
            detail = output.strip().splitlines()[-1] if output.strip() else "no output"
            raise LoadFailed("{0} exited with status {1}: {2}".format(" ".join(argv), status,
                                                                       detail))

    def load(self, name):
        self._run(self.config.load_command, name)

    def unload(self, name):
        self._run(self.config.unload_command, name)
