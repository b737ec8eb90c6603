"""Authorization check of the Credly stand-in: HTTP Basic with the token."""

import base64
import binascii
import hmac
from enum import Enum


class Access(Enum):
    """Access level that a request's credentials grant."""

    NONE = "none"
    READ = "read"
    WRITE = "write"


def check_access(header: str | None, token: str, read_only_token: str | None) -> Access:
    """Return the access that an Authorization header grants.

    Clients send the token as ``token:``, ``token`` or ``token|`` in the Basic
    credentials, so one trailing ``:`` or ``|`` is stripped before comparing.
    """
    presented = _basic_credentials(header)
    if presented is None:
        return Access.NONE
    if presented[-1:] in (":", "|"):
        presented = presented[:-1]
    if hmac.compare_digest(presented.encode(), token.encode()):
        return Access.WRITE
    if read_only_token and hmac.compare_digest(
        presented.encode(), read_only_token.encode()
    ):
        return Access.READ
    return Access.NONE


def _basic_credentials(header: str | None) -> str | None:
    if header is None:
        return None
    scheme, _, encoded = header.strip().partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        return base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
