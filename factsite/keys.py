"""Keys that stages share to remember work by: below every stage, so none imports a later one."""
from __future__ import annotations

import hashlib


def body_key(body: str) -> str:
    """The key a page body's parsed calls (validate) and markup (render) are remembered by."""
    return hashlib.sha256(body.encode()).hexdigest()
