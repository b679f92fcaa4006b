"""Ansible callback that writes each task's wall time to the file in AMP_TASK_TIMES.

The benchmark enables it to show where a run spends its time; it prints
nothing itself. Each line is JSON: {"task": name, "seconds": s}.
"""

# Ansible plugins put DOCUMENTATION before the imports.
# ruff: noqa: E402

from __future__ import annotations

DOCUMENTATION = """
    name: task_times
    type: aggregate
    short_description: write each task's wall time as JSON lines to $AMP_TASK_TIMES
    description:
        - Used by benchmarks/role_converge.py; does nothing when AMP_TASK_TIMES is unset.
    requirements:
        - enable in callbacks_enabled
"""

import json
import os
import time

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    """Time from one task's start to the next task's start (or the play's end)."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "task_times"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self._path = os.environ.get("AMP_TASK_TIMES")
        self._current = None

    def _close_current(self):
        if self._current is None or not self._path:
            return
        name, started = self._current
        with open(self._path, "a", encoding="utf-8") as out:
            out.write(json.dumps({"task": name, "seconds": round(time.monotonic() - started, 3)}) + "\n")
        self._current = None

    def _start(self, task):
        self._close_current()
        self._current = (task.get_name(), time.monotonic())

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._start(task)

    def v2_playbook_on_handler_task_start(self, task):
        self._start(task)

    def v2_playbook_on_stats(self, stats):
        self._close_current()
