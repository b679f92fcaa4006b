"""Paths the package installs to and the scriptlets manage, in one place."""

AMP_HOME = "/opt/cisco/amp"
AMP_BIN = AMP_HOME + "/bin"
AMP_ETC = AMP_HOME + "/etc"
AMP_SHARE = AMP_HOME + "/share"
INIT_TEMPLATES = AMP_SHARE + "/init"
DEFAULT_CONFIG = AMP_SHARE + "/amp.conf.default"
CONFIG_FILE = AMP_ETC + "/amp.conf"
DEFAULT_UPDATER_CONFIG = AMP_SHARE + "/updater.conf.default"
UPDATER_CONFIG = AMP_ETC + "/updater.conf"
FAULTS_FILE = AMP_ETC + "/faults.json"
# Optional settings of the installer itself (kernel-module loader, proc root).
INSTALLER_CONFIG = AMP_ETC + "/installer.conf"
KMOD_DIR = AMP_HOME + "/lib/modules"
LOG_DIR = "/var/log/cisco"
INSTALLER_LOG = LOG_DIR + "/ampinstaller.log"
CONTROL_SOCKET = "/var/run/sfampd"
AMPCTL = AMP_BIN + "/ampctl"
UPDATER = AMP_BIN + "/ampupdater"

# Lifecycle bookkeeping: kept across upgrade and remove, deleted by purge.
STATE_DIR = "/var/lib/ciscoamp"
LIFECYCLE_STATE = STATE_DIR + "/lifecycle.json"
# Locks live in /var/run (a tmpfs), so a refused install leaves no file behind.
LIFECYCLE_LOCK = "/var/run/ciscoamp-lifecycle.lock"
KMOD_LOCK = "/var/run/ciscoamp-kmod.lock"

SERVICE_NAME = "cisco-amp"
UPDATER_NAME = "cisco-ampupdater"
SYSTEMD_UNIT_DIR = "/usr/lib/systemd/system"
SYSTEMD_UNIT = SERVICE_NAME + ".service"
SYSTEMD_UPDATER_SERVICE = UPDATER_NAME + ".service"
SYSTEMD_UPDATER_TIMER = UPDATER_NAME + ".timer"
UPSTART_DIR = "/etc/init"
UPSTART_JOB = SERVICE_NAME + ".conf"
UPSTART_UPDATER_JOB = UPDATER_NAME + ".conf"
SYSV_INIT_DIR = "/etc/init.d"
CRON_HOURLY_DIR = "/etc/cron.hourly"
CRON_FILE = UPDATER_NAME + ".cron"
# Debian's run-parts (debianutils) skips file names that contain a dot, so
# on Debian and its derivatives the hourly file goes in without ".cron".
CRON_FILE_DEBIAN = UPDATER_NAME


def cron_file_name(root="/"):
    """Return the cron.hourly file name that the host's run-parts will run."""
    import os

    if os.path.exists(os.path.join(root, "etc/debian_version")):
        return CRON_FILE_DEBIAN
    return CRON_FILE
POLICY_RC_D = "/usr/sbin/policy-rc.d"

# Every file the scriptlets may write outside the package's own file list
# starts with this line, so removal deletes only what the package wrote.
MANAGED_MARKER = "Managed by the ciscoampconnector package"
