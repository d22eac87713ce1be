"""A skill package whose evaluate.py lacks `table`: registration tests show the error it gets."""
