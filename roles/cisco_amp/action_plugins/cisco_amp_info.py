"""Action of cisco_amp_info: hand amp-preflight.pyz from the controller to the module.

The module runs amp-preflight on the host only when the package is about to
change, so the reading and the preflight cost one module run. The zipapp is
binary and small (about 40 KB), so it travels base64-encoded in the module's
arguments instead of through a file transfer.
"""

import base64

from ansible.errors import AnsibleError
from ansible.plugins.action import ActionBase


class ActionModule(ActionBase):
    """Replace the preflight_pyz path with the file's content, then run the module."""

    _VALID_ARGS = None

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        module_args = dict(self._task.args)
        path = module_args.pop("preflight_pyz", None)
        if path:
            module_args["preflight_pyz_content"] = self._read_zipapp(path)
        result.update(
            self._execute_module(module_name="cisco_amp_info", module_args=module_args, task_vars=task_vars)
        )
        return result

    def _read_zipapp(self, path):
        """Return the file's content in base64, or None when it is missing.

        A missing file is left to the module, which fails with the role's
        message for cisco_amp_preflight_pyz.
        """
        try:
            found = self._find_needle("files", path)
            with open(found, "rb") as handle:
                return base64.b64encode(handle.read()).decode("ascii")
        except (AnsibleError, OSError):
            return None
