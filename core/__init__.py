"""The neutral core that both serving (`chatbot/`) and training (`training/`) stand on: the feedback store and its
records, the adapter registry, atomic file replacement, configuration and the user-facing error type.

It imports nothing else of this project (`tests/test_architecture.py` checks the import rule).
"""
