"""Data readers, training, evaluation and the adapter registry for the skills' LoRA adapters."""
