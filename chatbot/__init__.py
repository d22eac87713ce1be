"""The turn: routing, conversation state, the `Assistant` API, the feedback store, the knowledge base, the UI."""
