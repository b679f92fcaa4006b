"""The connector's identity: a UUID created once and kept across upgrades and reinstalls."""

import errno
import json
import os
import time
import uuid


class IdentityError(Exception):
    """The identity file cannot be read, is invalid or cannot be created.

    An existing file is left as it is. Fixing or removing it is up to the
    administrator, because removing it gives the connector a new identity.
    """


def parse_identity(text, source):
    """Parse identity.json text into a dict with "uuid" and "created"."""
    try:
        data = json.loads(text)
    except ValueError as error:
        raise IdentityError("invalid identity file {}: {}".format(source, error))
    if not isinstance(data, dict) or not isinstance(data.get("uuid"), str):
        raise IdentityError("invalid identity file {}: missing \"uuid\" string".format(source))
    try:
        uuid.UUID(data["uuid"])
    except ValueError:
        raise IdentityError("invalid identity file {}: {!r} is not a UUID".format(
            source, data["uuid"]))
    return data


def _read_identity(path):
    with open(path, encoding="utf-8") as handle:
        return parse_identity(handle.read(), path)


def load_or_create_identity(path):
    """Return the identity in path, creating it first if the file does not exist.

    An existing file is never rewritten, also when it is invalid (IdentityError),
    because a new UUID would make the connector a different endpoint.
    Returns (identity, created).
    """
    try:
        return _read_identity(path), False
    except OSError as error:
        if error.errno != errno.ENOENT:
            raise IdentityError("cannot read identity file {}: {}".format(path, error.strerror))
    except UnicodeDecodeError as error:
        raise IdentityError("invalid identity file {}: {}".format(path, error))

    identity = {
        "uuid": str(uuid.uuid4()),
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    # Write a complete temporary file, then hard-link it into place: link() fails
    # with EEXIST instead of replacing a file another process created meanwhile.
    temporary = "{}.{}.tmp".format(path, os.getpid())
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(identity, handle, indent=2, sort_keys=True)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.link(temporary, path)
    except OSError as error:
        if error.errno == errno.EEXIST:
            return _read_identity(path), False
        raise IdentityError("cannot create identity file {}: {}".format(path, error.strerror))
    finally:
        try:
            os.unlink(temporary)
        except OSError:
            pass
    return identity, True
