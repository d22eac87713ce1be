"""Nearest-example routing: a message goes to the skill whose routing examples it is most similar to.

Each skill lists example messages; they are embedded once with the plain base encoder. A message's similarity
to a skill is its cosine similarity to that skill's nearest example, so every decision can be explained by
pointing at that example. Displayed scores are a softmax over the similarities.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from skills.registry import SkillSpec

TEMPERATURE = 0.05  # cosine similarities of related sentences differ by a few hundredths: sharpen them


@dataclass(frozen=True)
class RouteScores:
    best: str  # the most similar skill (before the threshold)
    scores: dict[str, float]  # softmax over similarities, sums to 1
    similarities: dict[str, float]  # cosine similarity to each skill's nearest example
    nearest_examples: dict[str, str]  # that example, per skill


class Router:
    def __init__(self, specs: Sequence[SkillSpec], embed: Callable[[list[str]], np.ndarray], threshold: float):
        self.embed = embed
        self.threshold = threshold
        self.example_skills: list[str] = []
        self.examples: list[str] = []
        for spec in specs:
            for example in spec.routing_examples:
                self.example_skills.append(spec.name)
                self.examples.append(example)
        self.skill_names = list(dict.fromkeys(self.example_skills))
        self.vectors = embed(self.examples)

    def score(self, message: str) -> RouteScores:
        return self.score_vector(self.embed([message])[0])

    def score_vector(self, vector: np.ndarray) -> RouteScores:
        """The scores of a message embedded already (the assistant embeds it once for routing and retrieval)."""
        similarities = self.vectors @ vector
        best_similarity: dict[str, float] = {}
        nearest: dict[str, str] = {}
        for skill, example, similarity in zip(self.example_skills, self.examples, similarities, strict=True):
            if similarity > best_similarity.get(skill, -2.0):
                best_similarity[skill] = float(similarity)
                nearest[skill] = example
        values = np.array([best_similarity[s] for s in self.skill_names])
        weights = np.exp((values - values.max()) / TEMPERATURE)
        weights /= weights.sum()
        return RouteScores(
            best=self.skill_names[int(values.argmax())],
            scores={s: round(float(w), 4) for s, w in zip(self.skill_names, weights, strict=True)},
            similarities={s: round(v, 4) for s, v in best_similarity.items()},
            nearest_examples=nearest,
        )

    def is_confident(self, route: RouteScores) -> bool:
        return route.similarities[route.best] >= self.threshold
