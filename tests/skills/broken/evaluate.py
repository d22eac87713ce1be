"""An evaluation part without its table (on purpose)."""


def evaluate(logits_fn, tokenizer, examples, max_length):
    return {}
