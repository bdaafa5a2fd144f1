"""The contact guard: finds outside contact details and off-platform requests in messages.

The engine (everything but ``apps.py`` and ``management/``) imports nothing from Django.
"""

from .engine import ConversationScanner, scan, scan_with_context
from .findings import CONTACT_KINDS, SOLICIT_KINDS, Finding, ScanResult

__all__ = [
    "CONTACT_KINDS",
    "SOLICIT_KINDS",
    "ConversationScanner",
    "Finding",
    "ScanResult",
    "scan",
    "scan_with_context",
]
