"""Masking of e-mail addresses in text that goes to logs."""

import logging
import re
import threading
from urllib.parse import unquote

_EMAIL = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+)")


def mask_emails(text: str) -> str:
    """Replace each e-mail address with its first letter and domain, as a***@x.edu."""
    return _EMAIL.sub(r"\1***@\2", text)


def loggable_target(target: str) -> str:
    """Return a request target (path and query) decoded and with e-mails masked.

    Decoding first matters because a filter such as ``recipient_email::a@x.edu``
    travels percent-encoded, where the masking pattern would not see the ``@``.
    """
    return mask_emails(unquote(target))


class EmailMaskingFilter(logging.Filter):
    """Logging filter that masks e-mail addresses in a record's message."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = unquote(record.getMessage())
        masked = mask_emails(message)
        if masked != message:
            record.msg = masked
            record.args = None
        return True


_filter_lock = threading.Lock()
_masked_loggers: set[str] = set()


def mask_emails_in_logger(name: str) -> None:
    """Attach an EmailMaskingFilter to the named logger, once per process.

    httpx logs every request URL at INFO on the "httpx" logger, and a filter such
    as ``recipient_email::a@x.edu`` in the query would put a full address there.
    """
    with _filter_lock:
        if name in _masked_loggers:
            return
        logging.getLogger(name).addFilter(EmailMaskingFilter())
        _masked_loggers.add(name)
