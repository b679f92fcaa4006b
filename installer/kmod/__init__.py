"""Kernel modules of the connector: redirfs, then avflt, then ampnetworkflow.

Module state is read from ``<proc root>/modules`` and every load or unload
goes through one :class:`~installer.kmod.loader.CommandLoader`, so both can
be pointed at a fake tree and a fake program (see :mod:`installer.kmod.config`).
"""

from installer.kmod.config import KmodConfig, load_config
from installer.kmod.sequence import MODULES, load_modules, unload_modules

__all__ = ["MODULES", "KmodConfig", "load_config", "load_modules", "unload_modules"]
