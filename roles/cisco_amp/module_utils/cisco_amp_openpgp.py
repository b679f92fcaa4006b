"""Compute the ID under which rpm's keyring lists an ASCII-armored OpenPGP key, without gpg."""

import base64
import hashlib


def armored_key_version(text):
    """Return rpm's gpg-pubkey version (the key ID's last 8 hex digits) of an OpenPGP v4 key.

    Returns None for anything else; the role then imports the key again,
    which rpm_key does idempotently.
    """
    lines = text.strip().splitlines()
    try:
        start = lines.index("-----BEGIN PGP PUBLIC KEY BLOCK-----") + 1
        end = lines.index("-----END PGP PUBLIC KEY BLOCK-----")
    except ValueError:
        return None
    body = lines[start:end]
    while body and ":" in body[0]:
        body.pop(0)
    encoded = "".join(line for line in body if line and not line.startswith("="))
    try:
        data = bytearray(base64.b64decode(encoded))
    except (ValueError, TypeError):
        return None
    packet = public_key_packet(data)
    if packet is None or not packet or packet[0] != 4:
        return None
    fingerprint = hashlib.sha1(b"\x99" + len(packet).to_bytes(2, "big") + bytes(packet)).hexdigest()
    return fingerprint[-8:]


def public_key_packet(data):
    """Return the body of the first packet when it is a public-key packet (tag 6), else None."""
    if len(data) < 2 or not data[0] & 0x80:
        return None
    first = data[0]
    if first & 0x40:
        tag, length_octet = first & 0x3F, data[1]
        if length_octet < 192:
            offset, length = 2, length_octet
        elif length_octet < 224 and len(data) > 2:
            offset, length = 3, ((length_octet - 192) << 8) + data[2] + 192
        elif length_octet == 255 and len(data) > 5:
            offset, length = 6, int.from_bytes(bytes(data[2:6]), "big")
        else:
            return None
    else:
        tag, size = (first >> 2) & 0x0F, {0: 1, 1: 2, 2: 4}.get(first & 0x03)
        if size is None or len(data) < 1 + size:
            return None
        offset, length = 1 + size, int.from_bytes(bytes(data[1:1 + size]), "big")
    if tag != 6 or len(data) < offset + length:
        return None
    return data[offset:offset + length]
