#!/usr/bin/python
"""Write the connector's amp.conf, and its directory when missing, in one run on the host."""

# Ansible modules put their documentation before the imports.
# ruff: noqa: E402

DOCUMENTATION = r"""
module: cisco_amp_config
short_description: Write the Cisco Secure Endpoint connector's amp.conf
description:
  - Creates the file's directory when it is missing (owner root, I(directory_mode)), then
    replaces the file atomically when its content differs, and sets owner root and I(mode).
  - Supports check mode and C(--diff). Each value in I(secrets), such as an enrolment key
    or a proxy URL with a password, is masked wherever it would appear in the output.
options:
  path:
    description: The file to write.
    type: path
    required: true
  content:
    description: The whole content of the file.
    type: str
    required: true
  mode:
    description: The file's mode.
    type: str
    default: "0640"
  directory_mode:
    description: The mode of the directory when this module creates it.
    type: str
    default: "0750"
  secrets:
    description: Values in I(content) that must not reach logs, callbacks or C(--diff).
    type: list
    elements: str
    default: []
author: ciscoampconnector contributors
"""

RETURN = r"""
path:
  description: The file written.
  returned: always
  type: str
created_directory:
  description: Whether the module created the file's directory.
  returned: always
  type: bool
"""

import os
import tempfile

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_bytes, to_text


# The old file can hold secrets that are not in the new one (a replaced
# enrolment key): --diff shows these settings masked on both sides.
MASKED_SETTINGS = ("enrolment_key",)
MASK = "********"


def masked(text):
    """Return amp.conf text with the enrolment key and any proxy password replaced by a mask."""
    lines = []
    for line in text.splitlines(True):
        name, sep, value = line.partition("=")
        name = name.strip()
        if sep and (name in MASKED_SETTINGS or (name == "url" and "@" in value)):
            line = "{0} = {1}\n".format(name, MASK)
        lines.append(line)
    return "".join(lines)


def read_bytes(path):
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def create_directory(module, directory):
    if os.path.isdir(directory):
        return False
    if not module.check_mode:
        os.makedirs(directory)
        os.chown(directory, 0, 0)
        os.chmod(directory, int(module.params["directory_mode"], 8))
    return True


def replace_file(module, path, data):
    """Write ``data`` to a temporary file beside ``path`` and move it into place."""
    handle, temporary = tempfile.mkstemp(prefix=".amp.conf.", dir=os.path.dirname(path))
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, int(module.params["mode"], 8))
        module.atomic_move(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type="path", required=True),
            content=dict(type="str", required=True),
            mode=dict(type="str", default="0640"),
            directory_mode=dict(type="str", default="0750"),
            secrets=dict(type="list", elements="str", default=[], no_log=True),
        ),
        supports_check_mode=True,
    )
    params = module.params
    for name in ("mode", "directory_mode"):
        try:
            int(params[name], 8)
        except ValueError:
            module.fail_json(msg="{0} {1!r} is not an octal mode such as 0640".format(name, params[name]))

    path = params["path"]
    data = to_bytes(params["content"])
    created = create_directory(module, os.path.dirname(path))
    before = read_bytes(path)
    changed = created or before != data
    if before != data and not module.check_mode:
        replace_file(module, path, data)
    # atomic_move gives a new file the default mode, so the mode is set after it.
    if os.path.exists(path):
        file_args = module.load_file_common_arguments(dict(path=path, owner="root", group="root",
                                                           mode=params["mode"]))
        changed = module.set_fs_attributes_if_different(file_args, changed)
    result = dict(changed=changed, path=path, created_directory=created)
    if changed and module._diff:
        result["diff"] = dict(before_header=path, after_header=path,
                              before=masked(to_text(before or b"")), after=masked(params["content"]))
    module.exit_json(**result)


if __name__ == "__main__":
    main()
