"""The deterministic demo tenant: fixed staff, a realistic client book and stories a CSM would recognise.

`generate_demo` writes it relative to `as_of` (same seed, as_of and size give the same rows);
`reset_demo` deletes it. Both only flush: the caller commits.
"""

from domain.demo.generate import generate_demo
from domain.demo.notes import PRIVATE_NOTE_MARKER
from domain.demo.reset import reset_demo
from domain.demo.staff import DEMO_STAFF, DEMO_WORKSPACE_SLUG, StaffSeed
from domain.demo.summary import DemoSummary

__all__ = [
    "DEMO_STAFF",
    "DEMO_WORKSPACE_SLUG",
    "PRIVATE_NOTE_MARKER",
    "DemoSummary",
    "StaffSeed",
    "generate_demo",
    "reset_demo",
]
