"""The command line: `python -m chatbot GROUP ACTION ...`; settings come from `EXCHAT_*` (core/config.py).

    python -m chatbot kb add PATH...      add .txt/.md files or folders to the knowledge base
    python -m chatbot kb list             list its documents
    python -m chatbot kb remove NAME...   delete documents by the names `kb list` shows
    python -m chatbot kb search QUERY     show the chunks a question would be answered from
    python -m chatbot feedback export [--format jsonl|parquet] [--out PATH] [--skill SKILL] [--since-rating-id N]
                                          write the training examples that the ratings make (training/feedback.py)
    python -m chatbot feedback delete --session ID      delete one session's answers and ratings (and files kept)
    python -m chatbot feedback purge --older-than-days N
                                          replace the text of older answers (skill, times and ratings stay) and
                                          delete the recordings and pictures kept (EXCHAT_KEEP_MEDIA) as old
    python -m chatbot media export [--out PATH]
                                          write the texts users corrected of what was heard or read (JSON lines)

Each command group is added to the parser by its own `add_*_commands` function; each action is a function
`(args, config) -> exit code`. A user error (`InputError`) prints its message and exits with code 2.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
from sqlalchemy.engine import make_url

from chatbot.knowledge import KnowledgeBase
from chatbot.media.keep import MediaKeeper
from core.config import AppConfig
from core.errors import InputError
from core.store import FeedbackStore
from skills.registry import skill_names
from training.feedback import FeedbackConfig
from training.feedback_export import FORMATS, load_feedback, write_examples

log = logging.getLogger("chatbot")
USAGE_ERROR = 2
MAX_REASONS_SHOWN = 20  # left-out answers listed by `feedback export`


def lazy_embed(base_model: str | None) -> Callable[[list[str]], np.ndarray]:
    """`SharedEncoder(base_model).embed`, loading the encoder on first use: `kb list` never needs it."""
    encoder = None

    def embed(texts: list[str]) -> np.ndarray:
        nonlocal encoder
        if encoder is None:
            from skills.encoder import SharedEncoder

            encoder = SharedEncoder(base_model)
        return encoder.embed(texts)

    return embed


def open_knowledge_base(config: AppConfig) -> KnowledgeBase:
    return KnowledgeBase.from_config(config, lazy_embed(config.base_model or None))


def kb_add(args: argparse.Namespace, config: AppConfig) -> int:
    kb = open_knowledge_base(config)
    added = kb.add_paths(args.paths)
    for name, chunks in added:
        print(f"{name}: {chunks} chunks added" if chunks else f"{name}: unchanged, already in the knowledge base")
    print(f"knowledge base: {kb.store.where} (running apps use it within seconds)")
    return 0


def kb_list(args: argparse.Namespace, config: AppConfig) -> int:
    kb = open_knowledge_base(config)
    documents = kb.documents()
    if not documents:
        print(f"The knowledge base in {kb.store.where} is empty; add documents with: python -m chatbot kb add")
        return 0
    width = max(len(d["name"]) for d in documents)
    for d in documents:
        print(f"{d['name']:<{width}}  {d['chunks']:>4} chunks  added {d['added_at']}  sha256 {d['sha256'][:12]}")
    print(f"{len(documents)} documents, {sum(d['chunks'] for d in documents)} chunks in {kb.store.where}")
    return 0


def kb_remove(args: argparse.Namespace, config: AppConfig) -> int:
    kb = open_knowledge_base(config)
    for name in kb.remove_documents(args.names):
        print(f"{name}: removed")
    print(f"knowledge base: {kb.store.where} ({len(kb.documents())} documents left)")
    return 0


def kb_search(args: argparse.Namespace, config: AppConfig) -> int:
    kb = open_knowledge_base(config)
    passages = kb.search(args.query, k=args.k)
    if not passages:
        print(f"No results: the knowledge base in {kb.store.where} is empty.")
    for rank, passage in enumerate(passages, 1):
        print(f"{rank}. {passage.source}  (ranked by {kb.retrieval.mode}; cosine {passage.retrieval_score:.3f})")
        print("   " + passage.text.replace("\n", "\n   ") + "\n")
    return 0


def _positive_int(raw: str) -> int:
    if not raw.isdigit() or int(raw) < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {raw!r}")
    return int(raw)


def add_kb_commands(groups: argparse._SubParsersAction) -> None:
    kb = groups.add_parser("kb", help="manage the document knowledge base")
    actions = kb.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="add .txt/.md files or folders (a document with the same name is replaced)")
    add.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    add.set_defaults(handler=kb_add)
    actions.add_parser("list", help="list the documents").set_defaults(handler=kb_list)
    remove = actions.add_parser("remove", help="delete documents by name (as `kb list` shows them)")
    remove.add_argument("names", nargs="+", metavar="NAME")
    remove.set_defaults(handler=kb_remove)
    search = actions.add_parser("search", help="show the chunks a question would be answered from")
    search.add_argument("query", help="a question or some keywords")
    search.add_argument("-k", type=_positive_int, default=3, help="number of chunks to show (default 3)")
    search.set_defaults(handler=kb_search)


def open_store(config: AppConfig) -> FeedbackStore:
    """The existing feedback store; InputError rather than a new empty SQLite file at a mistyped place."""
    url = make_url(config.db_url)
    if url.get_backend_name() == "sqlite" and url.database and not Path(url.database).exists():
        raise InputError(f"no feedback database at {url.database} (set EXCHAT_HOME or EXCHAT_DB_URL)")
    return FeedbackStore(config.db_url)


def feedback_export(args: argparse.Namespace, config: AppConfig) -> int:
    try:
        settings = FeedbackConfig(
            silver_weight=args.silver_weight,
            per_session_cap=args.per_session_cap,
            since_rating_id=args.since_rating_id,
            since_time=args.since_time,
        )
    except ValueError as error:
        raise InputError(str(error)) from error
    store = open_store(config)
    try:
        dataset = load_feedback(store, settings)
    finally:
        store.close()
    examples = [e for e in dataset.examples if args.skill is None or e.skill == args.skill]
    fmt = args.format or ("parquet" if args.out and args.out.suffix == ".parquet" else "jsonl")
    out = write_examples(examples, args.out or config.home / f"feedback.{fmt}", fmt)
    kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(Counter(e.kind for e in examples).items()))
    print(f"{len(examples)} examples ({kinds or 'none'}) written to {out}")
    if dataset.dropped:
        print(f"{len(dataset.dropped)} rated answers left out:", file=sys.stderr)
        for turn_id, reason in dataset.dropped[:MAX_REASONS_SHOWN]:
            print(f"  answer #{turn_id}: {reason}", file=sys.stderr)
        if len(dataset.dropped) > MAX_REASONS_SHOWN:
            print(f"  ... and {len(dataset.dropped) - MAX_REASONS_SHOWN} more", file=sys.stderr)
    return 0


def feedback_delete(args: argparse.Namespace, config: AppConfig) -> int:
    store = open_store(config)
    try:
        counts = store.delete_session(args.session)
    finally:
        store.close()
    files = media_keeper(config).forget_session(args.session)  # kept ones (EXCHAT_KEEP_MEDIA), even if now off
    if not counts["turns"] and not counts["ratings"] and not files:
        print(f"Nothing stored for session {args.session!r}: nothing deleted.")
    else:
        kept = f" and {files} recordings or pictures" if files else ""
        print(f"Session {args.session!r}: {counts['turns']} answers and {counts['ratings']} ratings{kept} deleted.")
    return 0


def media_keeper(config: AppConfig) -> MediaKeeper:
    return MediaKeeper(config.home / "media", config.keep_media)


def feedback_purge(args: argparse.Namespace, config: AppConfig) -> int:
    store = open_store(config)
    try:
        cutoff = datetime.now(timezone.utc) - timedelta(days=args.older_than_days)
        counts = store.purge_text_before(cutoff)
    finally:
        store.close()
    files = media_keeper(config).forget_before(cutoff)
    print(
        f"{counts['turns']} answers older than {args.older_than_days} days purged (text replaced; skill, times and "
        f"ratings kept); reasons and corrections removed from {counts['ratings']} ratings"
        + (f"; {files} recordings or pictures deleted." if files else ".")
    )
    return 0


def _non_negative_int(raw: str) -> int:
    if not raw.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 0, got {raw!r}")
    return int(raw)


def _utc_time(raw: str) -> datetime:
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"expected an ISO time such as 2026-01-31T12:00+00:00, got {raw!r}") from error
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def add_feedback_commands(groups: argparse._SubParsersAction) -> None:
    feedback = groups.add_parser("feedback", help="training data from the ratings; delete or purge stored text")
    actions = feedback.add_subparsers(dest="action", required=True, metavar="ACTION")
    export = actions.add_parser("export", help="write one row per training example (gold, silver or negative)")
    export.add_argument(
        "--format", choices=FORMATS, help="file format (default: parquet for an --out ending .parquet, else jsonl)"
    )
    export.add_argument("--out", type=Path, help="file to write (default HOME/feedback.FORMAT)")
    export.add_argument("--skill", choices=skill_names(trainable=True), help="only this skill's examples (default all)")
    export.add_argument(
        "--since-rating-id", type=_non_negative_int, help="only answers whose current rating has a larger id"
    )
    export.add_argument("--since-time", type=_utc_time, help="only answers rated after this ISO time (default UTC)")
    defaults = FeedbackConfig()
    export.add_argument(
        "--silver-weight",
        type=float,
        default=defaults.silver_weight,
        help=f"weight of a 👍'd model output (default {defaults.silver_weight})",
    )
    export.add_argument(
        "--per-session-cap",
        type=_positive_int,
        default=defaults.per_session_cap,
        help=f"most examples one session gives, its earliest (default {defaults.per_session_cap})",
    )
    export.set_defaults(handler=feedback_export)
    remove = actions.add_parser("delete", help="delete a session's answers and ratings (and the ratings it gave)")
    remove.add_argument("--session", required=True, metavar="ID", help="the session id")
    remove.set_defaults(handler=feedback_delete)
    purge = actions.add_parser(
        "purge", help="replace the text of older answers and their ratings' reasons; statistics stay"
    )
    purge.add_argument("--older-than-days", type=_positive_int, required=True, metavar="N", help="age in days")
    purge.set_defaults(handler=feedback_purge)


def media_export(args: argparse.Namespace, config: AppConfig) -> int:
    from chatbot.media.corrections import input_corrections

    store = open_store(config)
    try:
        rows = input_corrections(store.media_turns())
    finally:
        store.close()
    out = args.out or config.home / "input-corrections.jsonl"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    print(f"{len(rows)} corrections of what was heard or read written to {out}.")
    return 0


def add_media_commands(groups: argparse._SubParsersAction) -> None:
    media = groups.add_parser("media", help="what users corrected in the text heard in recordings or read in pictures")
    actions = media.add_subparsers(dest="action", required=True, metavar="ACTION")
    export = actions.add_parser("export", help="write one JSON line per corrected recording or picture text")
    export.add_argument("--out", type=Path, help="file to write (default HOME/input-corrections.jsonl)")
    export.set_defaults(handler=media_export)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m chatbot", description="Explainable Chat command line.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    groups = parser.add_subparsers(dest="group", required=True, metavar="COMMAND")
    add_kb_commands(groups)
    add_feedback_commands(groups)
    add_media_commands(groups)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        config = AppConfig.from_env()
    except ValueError as error:  # a bad EXCHAT_* value; the message names it
        print(f"error: {error}", file=sys.stderr)
        return USAGE_ERROR
    try:
        return args.handler(args, config)
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return USAGE_ERROR


if __name__ == "__main__":
    sys.exit(main())
