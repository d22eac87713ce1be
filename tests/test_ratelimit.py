"""The per-session token bucket (pure, on a hand-driven clock) and its use in `Assistant.rate`."""

from __future__ import annotations

import pytest

from chatbot.ratelimit import RateLimiter
from core.errors import InputError


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def test_a_burst_is_allowed_then_refused_with_the_wait_until_the_next_token(clock):
    limiter = RateLimiter(per_minute=60, burst=3, clock=clock)
    assert [limiter.take("s1") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.take("s1") == pytest.approx(1.0)  # 60 a minute: one token a second
    clock.now += 0.25
    assert limiter.take("s1") == pytest.approx(0.75)


def test_tokens_come_back_at_the_rate_and_never_above_the_burst(clock):
    limiter = RateLimiter(per_minute=30, burst=2, clock=clock)
    limiter.take("s1"), limiter.take("s1")
    clock.now += 2.0  # 30 a minute: one token every 2 s
    assert limiter.take("s1") == 0.0
    assert limiter.take("s1") > 0
    clock.now += 3_600.0  # an hour idle refills to the burst, not to 1,800
    assert [limiter.take("s1") > 0 for _ in range(3)] == [False, False, True]


def test_refused_events_do_not_count(clock):
    limiter = RateLimiter(per_minute=60, burst=1, clock=clock)
    assert limiter.take("s1") == 0.0
    for _ in range(50):
        assert limiter.take("s1") > 0
    clock.now += 1.0
    assert limiter.take("s1") == 0.0


def test_each_key_has_its_own_bucket(clock):
    limiter = RateLimiter(per_minute=60, burst=1, clock=clock)
    assert limiter.take("s1") == 0.0
    assert limiter.take("s1") > 0
    assert limiter.take("s2") == 0.0


def test_a_clock_that_steps_back_neither_drains_nor_fills_the_bucket(clock):
    limiter = RateLimiter(per_minute=60, burst=2, clock=clock)
    limiter.take("s1")
    clock.now -= 100.0
    assert limiter.take("s1") == 0.0
    assert limiter.take("s1") > 0


def test_the_least_recently_used_key_is_forgotten_beyond_max_keys(clock):
    limiter = RateLimiter(per_minute=60, burst=1, clock=clock, max_keys=2)
    limiter.take("a"), limiter.take("b")
    assert limiter.take("a") > 0  # "a" is now the most recently used
    limiter.take("c")  # forgets "b"
    assert limiter.take("b") == 0.0
    assert limiter.take("a") == 0.0  # "a" was forgotten when "b" came back


@pytest.mark.parametrize(("per_minute", "burst"), [(0, 5), (-1, 5), (60, 0)])
def test_bad_limits_are_refused(per_minute, burst):
    with pytest.raises(ValueError, match="per_minute"):
        RateLimiter(per_minute, burst)


@pytest.fixture
def limited(assistant, tmp_path, clock):
    """The shared models over a fresh store, with 2 ratings at once and 60 a minute per session."""
    from chatbot.assistant import Assistant
    from core.config import AppConfig
    from core.store import FeedbackStore

    config = AppConfig.from_env(environ={}, home=tmp_path, ratings_burst=2, ratings_per_minute=60)
    built = Assistant(assistant.skills, assistant.router, FeedbackStore(config.db_url), assistant.knowledge, config)
    built.rating_limit = RateLimiter(config.ratings_per_minute, config.ratings_burst, clock=clock)
    yield built
    built.store.close()


@pytest.mark.slow
def test_ratings_over_the_limit_are_refused_with_the_wait_and_nothing_is_stored(limited, clock):
    turn_id = limited.reply("/sentiment a lovely film", "flood").turn_id
    limited.rate(turn_id, thumb="up", session_id="flood")
    limited.rate(turn_id, thumb="down", session_id="flood")
    with pytest.raises(InputError, match=r"^too many ratings from this session; try again in 1 s$"):
        limited.rate(turn_id, thumb="up", session_id="flood")
    assert [r.thumb for r in limited.store.ratings(turn_id)] == ["up", "down"]
    assert limited.rate(turn_id, thumb="up", session_id="another session").thumb == "up"
    clock.now += 1.0
    assert limited.rate(turn_id, thumb="up", session_id="flood").thumb == "up"


@pytest.mark.slow
def test_ratings_without_a_session_id_count_against_the_turns_session(limited):
    turn_id = limited.reply("/sentiment the soup was cold", "owner").turn_id
    limited.rate(turn_id, thumb="down")
    limited.rate(turn_id, thumb="down")
    with pytest.raises(InputError, match="too many ratings"):
        limited.rate(turn_id, thumb="down", session_id="owner")
    assert len(limited.store.ratings(turn_id)) == 2
