"""The one exception type for problems with what a user sent."""

from __future__ import annotations


class InputError(ValueError):
    """A problem with what the user sent; its message is shown to the user as is."""


class UnusableFeedback(ValueError):
    """A rating that cannot become a training example; the message says why (it goes into the export's `dropped`)."""
