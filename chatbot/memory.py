"""The correction memory: a user's correction answers at once, without waiting for a retrain.

After a skill answers, the memory looks up what it read (the text; for a question, the question): an input whose
normalised form (case, punctuation and spacing ignored) equals a corrected one, or failing that whose encoder
embedding is at least `similarity` close to one (a changed word; threshold calibrated on `bench/data/memory`), is
answered with the correction, applied by the skill's rules (`feedback.recalled`: NER applies the edits by name, so a
near-duplicate keeps its own offsets; QA only where the answer is in the passage read). For skills whose corrections
type names (NER, `feedback.lexicon`), every name corrected unambiguously (one type, at least two characters) also
acts as a lexicon on new texts, and says so.

Who sees a correction (a guard against poisoning): the session that made it, at once; everyone once a second
session makes the same correction (the same claim on the same or a near-equal input) or an admin approves it. A
correction taken back (a later rating of the turn without it, or the session deleted) is forgotten. An entry stays
until an adapter newer than the one it corrected answers its input right by itself; then it is retired.

Entries live in the app's database (`core/memory_store.py`), so every replica shares them; each process keeps them
with a FAISS index of their embeddings as a cache, refreshed when the stored version counter moves (read at most
once every `refresh_seconds`), as the knowledge base does (`chatbot/knowledge.py`).
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import faiss
import numpy as np

from core.memory_store import MemoryStore, NewCorrection, StoredCorrection
from core.records import SkillInputs, TurnOutput
from core.store import RatingRecord, TurnRecord
from skills.base import SkillResult
from skills.registry import get_skill, skill_names
from skills.words import edit_distance

log = logging.getLogger(__name__)

REFRESH_SECONDS = 1.0
SEARCH_DEPTH = 10  # nearest entries read for one this session may see (others' unconfirmed ones may rank above)
# A near-equal input differs in at most this many words (after `normalised`): on bench/data/memory/dev every
# near-duplicate differs in one or two, every unrelated input in at least three, even where the encoder finds it
# 0.85 similar ("Not bad at all, I expected much worse" / "Bad in every way, I expected much better").
MAX_CHANGED_WORDS = 2
MIN_LEXICON_CHARS = 2
_WORD = re.compile(r"\w+")
_OFFSETS = ("start", "end", "in_source", "score")

Embed = Callable[[list[str]], np.ndarray]


def normalised(text: str) -> str:
    """The memory's exact key: lowercase words, punctuation and spacing dropped ("Hello,  World!" -> "hello world")."""
    return " ".join(_WORD.findall(text.casefold()))


def claim(correction: Any) -> str:
    """What a correction says, without where: offsets dropped and text lowercased, so two sessions that correct the
    same thing on near-equal inputs agree."""

    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: plain(v) for k, v in sorted(value.items()) if k not in _OFFSETS}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value.casefold() if isinstance(value, str) else value

    return json.dumps(plain(correction), sort_keys=True, ensure_ascii=False)


def changed_words(a: str, b: str) -> int:
    """Word-level edit distance (insertions, deletions, substitutions) between two normalised texts."""
    return edit_distance(a.split(), b.split())


def visible(entry: StoredCorrection, session_id: str) -> bool:
    return entry.confirmed or session_id in entry.sessions


def said(entry: StoredCorrection, session_id: str) -> str:
    """How the explanation names a correction's source."""
    if session_id in entry.sessions and len(entry.sessions) == 1:
        return f"you corrected this on {entry.created_at.date().isoformat()}"
    if len(entry.sessions) >= 2:
        return f"{len(entry.sessions)} users corrected this"
    return f"a user's correction, approved by an admin on {entry.approved_at.date().isoformat()}"


@dataclass(frozen=True)
class Recall:
    entry: StoredCorrection
    match: str  # "same text" or "similar text"
    similarity: float


@dataclass(frozen=True)
class _Cache:
    """One process's copy of the entries; replaced whole, never changed, so readers need no lock."""

    version: int | None = None
    entries: tuple[StoredCorrection, ...] = ()
    by_key: dict[tuple[str, str], tuple[StoredCorrection, ...]] = field(default_factory=dict)
    by_word: dict[tuple[str, str], tuple[StoredCorrection, ...]] = field(default_factory=dict)  # (skill, word)
    indexes: dict[str, tuple[faiss.Index, tuple[StoredCorrection, ...]]] = field(default_factory=dict)
    terms: dict[int, tuple[dict[str, str], ...]] = field(default_factory=dict)  # lexicon terms by entry id


class CorrectionMemory:
    """Corrections remembered in the database at `db_url`, looked up by text and by embedding."""

    def __init__(self, db_url: str, embed: Embed, similarity: float, refresh_seconds: float = REFRESH_SECONDS) -> None:
        if not 0.0 < similarity <= 1.01:
            raise ValueError(f"similarity must be in (0, 1] (1.01 turns near matches off), got {similarity}")
        self.store = MemoryStore(db_url)
        self.embed = embed
        self.similarity = similarity
        self.refresh_seconds = refresh_seconds
        self._lock = threading.Lock()
        self._cache = _Cache()
        self._checked_at = float("-inf")
        self.refresh(force=True)

    def remember(self, turn: TurnRecord, rating: RatingRecord) -> int | None:
        """Follow a turn's new rating: its earlier correction is forgotten, and a correction in this rating (of a
        skill that learns) is remembered; returns the entry id, or None."""
        self.store.forget_turns([turn.id])
        output = TurnOutput.from_json(turn.output)
        text = output.inputs.text if output.inputs else None
        correction = rating.correction
        entry_id = None
        if correction and "intent" not in correction and turn.skill in skill_names(trainable=True) and text:
            vector = np.asarray(self.embed([text]), dtype=np.float32)[0]
            says, key = claim(correction), normalised(text)
            near = self._nearest(turn.skill, vector, lambda e: e.claim == says and _near(e.key, key))
            new = NewCorrection(
                skill=turn.skill,
                key=key,
                text=text,
                correction=correction,
                claim=says,
                vector=vector,
                adapter_version=turn.adapter_version,
                session_id=rating.session_id,
                turn_id=turn.id,
                rating_id=rating.id,
            )
            entry_id = self.store.add(new, agree_with=near.entry.id if near else None)
        self.refresh(force=True)
        return entry_id

    def recall(self, skill: str, text: str, session_id: str) -> Recall | None:
        """The correction this session may see for `text`: the same text first (the session's own, else the one
        most sessions made), else the nearest similar one."""
        cache, key = self.refresh(), normalised(text)
        same = [e for e in cache.by_key.get((skill, key), ()) if visible(e, session_id)]
        if same:
            best = max(same, key=lambda e: (session_id in e.sessions, len(e.sessions), e.id))
            return Recall(best, "same text", 1.0)
        if not any(visible(e, session_id) for e in _word_neighbours(cache, skill, key)):
            return None  # no entry this session may see is a word or two away: no embedding needed
        vector = np.asarray(self.embed([text]), dtype=np.float32)[0]
        return self._nearest(skill, vector, lambda e: visible(e, session_id) and _near(e.key, key))

    def answer(
        self, skill: str, result: SkillResult, inputs: SkillInputs, session_id: str, adapter_version: str | None
    ) -> SkillResult:
        """`result` (of a skill that read `inputs`) answered with a remembered correction where one applies (see the
        module docstring); the rationale's "memory" says which and whose, and what the model itself answered."""
        if skill not in skill_names(trainable=True) or not inputs.text:
            return result
        rules = get_skill(skill).feedback
        found = self.recall(skill, inputs.text, session_id)
        recalled = rules.recalled(found.entry.correction, result.data, inputs.to_dict()) if found else None
        if found is not None and recalled is not None:
            if rules.output_label(recalled[1]) == rules.output_label(result.data):
                # another adapter than the one corrected answers the corrected text right by itself: retire the entry
                if found.match == "same text" and adapter_version != found.entry.adapter_version:
                    self.delete([found.entry.id])
                    log.info("memory entry %d retired: %s answers it right", found.entry.id, adapter_version)
                return result
            note = {
                "entry": found.entry.id,
                "match": found.match,
                "similarity": round(found.similarity, 4),
                "said": said(found.entry, session_id),
                "corrected_on": found.entry.created_at.date().isoformat(),
                "users": len(found.entry.sessions),
                "corrected_text": found.entry.text,
            }
            return _recalled(result, recalled, note)
        return self._lexicon_answer(skill, result, session_id, inputs)

    def _lexicon_answer(self, skill: str, result: SkillResult, session_id: str, inputs: SkillInputs) -> SkillResult:
        rules = get_skill(skill).feedback
        cache = self.refresh()
        seen = [e for e in cache.entries if e.skill == skill and cache.terms[e.id] and visible(e, session_id)]
        terms = lexicon_terms([cache.terms[e.id] for e in seen])
        if not terms:
            return result
        recalled = rules.recalled({"edits": terms, "removed": []}, result.data, inputs.to_dict())
        if recalled is None or rules.output_label(recalled[1]) == rules.output_label(result.data):
            return result
        text = inputs.text.casefold()
        used = [t["text"] for t in terms if t["text"].casefold() in text]
        note = {"match": "lexicon", "names": used, "said": "names corrected before (lexicon): " + ", ".join(used)}
        return _recalled(result, recalled, note)

    def _nearest(self, skill: str, vector: np.ndarray, allowed: Callable[[StoredCorrection], bool]) -> Recall | None:
        index, entries = self.refresh().indexes.get(skill, (None, ()))
        if index is None:
            return None
        scores, positions = index.search(vector.reshape(1, -1), min(SEARCH_DEPTH, len(entries)))
        for score, position in zip(scores[0], positions[0], strict=True):
            if score < self.similarity:
                return None
            if allowed(entries[position]):
                return Recall(entries[position], "similar text", float(score))
        return None

    def entries(self) -> list[StoredCorrection]:
        return list(self.refresh(force=True).entries)

    def approve(self, entry_id: int) -> bool:
        approved = self.store.approve(entry_id)
        self.refresh(force=True)
        return approved

    def delete(self, entry_ids: list[int]) -> int:
        deleted = self.store.delete(entry_ids)
        self.refresh(force=True)
        return deleted

    def forget_before(self, cutoff: datetime) -> int:
        """Forget corrections made before `cutoff` (the retention period: their text goes with the turns')."""
        forgotten = self.store.forget_before(cutoff)
        self.refresh(force=True)
        return forgotten

    def forget_session(self, session_id: str) -> int:
        forgotten = self.store.forget_session(session_id)
        self.refresh(force=True)
        return forgotten

    def refresh(self, force: bool = False) -> _Cache:
        """The entries, read again when the stored version moved (checked at most once every `refresh_seconds`)."""
        with self._lock:
            now = time.monotonic()
            if not force and now - self._checked_at < self.refresh_seconds:
                return self._cache
            self._checked_at = now
            version = self.store.version()  # before the rows: a change in between only causes one more read
            if version != self._cache.version:
                self._cache = _cache(version, self.store.entries())
            return self._cache

    def close(self) -> None:
        self.store.close()


def lexicon_terms(corrections: list[tuple[dict[str, str], ...]]) -> list[dict[str, str]]:
    """The names that corrections type (each correction's `{"text", "type"}` terms), where every correction gives a
    name the same type and it has at least MIN_LEXICON_CHARS characters (a name typed two ways is left to the
    model)."""
    types: dict[str, set[str]] = defaultdict(set)
    spelled: dict[str, str] = {}
    for terms in corrections:
        for term in terms:
            types[term["text"].casefold()].add(term["type"])
            spelled.setdefault(term["text"].casefold(), term["text"])
    return [
        {"text": spelled[name], "type": next(iter(kinds))}
        for name, kinds in sorted(types.items())
        if len(kinds) == 1 and len(name) >= MIN_LEXICON_CHARS
    ]


def _near(a: str, b: str) -> bool:
    return changed_words(a, b) <= MAX_CHANGED_WORDS


def _recalled(result: SkillResult, recalled: tuple[str, dict[str, Any]], note: dict[str, Any]) -> SkillResult:
    """The answer a correction gave, noting what the model itself answered (the confidence stays the model's)."""
    text, data = recalled
    note = {**note, "model_answer": result.text}
    return replace(
        result,
        text=f"{text}\n\n_From the correction memory: {note['said']}._",
        data=data,
        rationale={**result.rationale, "memory": note},
    )


def _word_neighbours(cache: _Cache, skill: str, key: str) -> list[StoredCorrection]:
    """The entries whose text differs from `key` in at most MAX_CHANGED_WORDS words: found by the words they share
    (a text a word or two away shares all but a word or two), then checked word by word."""
    words = key.split()
    shared: dict[int, int] = defaultdict(int)
    entries: dict[int, StoredCorrection] = {}
    for word in set(words):
        for entry in cache.by_word.get((skill, word), ()):
            shared[entry.id] += 1
            entries[entry.id] = entry
    return [
        entries[i]
        for i, n in shared.items()
        if n >= max(len(set(words)), len(set(entries[i].key.split()))) - MAX_CHANGED_WORDS
        and _near(entries[i].key, key)
    ]


def _cache(version: int, entries: list[StoredCorrection]) -> _Cache:
    by_key: dict[tuple[str, str], list[StoredCorrection]] = defaultdict(list)
    by_word: dict[tuple[str, str], list[StoredCorrection]] = defaultdict(list)
    by_skill: dict[str, list[StoredCorrection]] = defaultdict(list)
    for entry in entries:
        by_key[(entry.skill, entry.key)].append(entry)
        by_skill[entry.skill].append(entry)
        for word in set(entry.key.split()):
            by_word[(entry.skill, word)].append(entry)
    terms = {e.id: tuple(get_skill(e.skill).feedback.lexicon(e.correction)) for e in entries}
    indexes = {}
    for skill, mine in by_skill.items():
        index = faiss.IndexFlatIP(len(mine[0].vector))
        index.add(np.vstack([e.vector for e in mine]))
        indexes[skill] = (index, tuple(mine))
    log.info("memory: %d corrections (version %d)", len(entries), version)
    return _Cache(
        version,
        tuple(entries),
        {k: tuple(v) for k, v in by_key.items()},
        {k: tuple(v) for k, v in by_word.items()},
        indexes,
        terms,
    )
