"""Paths the package installs to and the scriptlets manage, in one place."""

AMP_HOME = "/opt/cisco/amp"
AMP_BIN = AMP_HOME + "/bin"
AMP_ETC = AMP_HOME + "/etc"
AMP_SHARE = AMP_HOME + "/share"
INIT_TEMPLATES = AMP_SHARE + "/init"
DEFAULT_CONFIG = AMP_SHARE + "/amp.conf.default"
CONFIG_FILE = AMP_ETC + "/amp.conf"
LOG_DIR = "/var/log/cisco"
INSTALLER_LOG = LOG_DIR + "/ampinstaller.log"
CONTROL_SOCKET = "/var/run/sfampd"

SERVICE_NAME = "cisco-amp"
SYSTEMD_UNIT_DIR = "/usr/lib/systemd/system"
SYSTEMD_UNIT = SERVICE_NAME + ".service"

# Every file the scriptlets may write outside the package's own file list
# starts with this line, so removal deletes only what the package wrote.
MANAGED_MARKER = "Managed by the ciscoampconnector package"
