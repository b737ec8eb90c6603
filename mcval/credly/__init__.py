"""The boundary to Credly: an HTTP client, plus a local stand-in server.

The stand-in lives in ``mcval.credly.stub`` and is not imported here, so the
client does not load the server code.
"""

from mcval.credly.client import (
    PRODUCTION_URL,
    SANDBOX_URL,
    CredlyClient,
    token_from_environment,
)
from mcval.credly.retry import RetryPolicy

__all__ = [
    "PRODUCTION_URL",
    "SANDBOX_URL",
    "CredlyClient",
    "RetryPolicy",
    "token_from_environment",
]
