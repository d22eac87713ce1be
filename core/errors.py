"""The one exception type for problems with what a user sent."""

from __future__ import annotations


class InputError(ValueError):
    """A problem with what the user sent; its message is shown to the user as is."""
