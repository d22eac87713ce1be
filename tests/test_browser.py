"""The app in a real headless browser (Debian chromium driven by Playwright): type, speak into the microphone, show
a picture, read the why, click 👍."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# The closed network refuses Chromium's background connections; these flags keep it from trying.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


MICROPHONE_SAYS = "find the names in: Angela Merkel visited Paris"


@pytest.fixture(scope="module")
def microphone(tmp_path_factory) -> Path | None:
    """The clip chromium's fake microphone plays (made once, before the browser starts); None without espeak-ng."""
    if shutil.which("espeak-ng") is None:
        return None
    import wave

    from tests.media_files import spoken

    clip = spoken(MICROPHONE_SAYS, tmp_path_factory.mktemp("microphone") / "said.wav")
    # Half a second of silence first: the fake microphone starts playing when the page opens it, a moment before
    # the recorder starts, and the first words would be cut.
    with wave.open(str(clip)) as said:
        params, frames = said.getparams(), said.readframes(said.getnframes())
    with wave.open(str(clip), "wb") as padded:
        padded.setparams(params)
        padded.writeframes(bytes(params.sampwidth * params.nchannels * params.framerate // 2) + frames)
    return clip


@pytest.fixture(scope="module")
def browser(microphone):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (.ci/run installs it)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    # The page may use the microphone without asking, and the microphone plays the clip once (%noloop), then silence.
    fake_microphone = (
        [
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-audio-capture={microphone}%noloop",
        ]
        if microphone
        else []
    )
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=[*FLAGS, *fake_microphone])
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def page(browser, app_url):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(app_url)
    return page


def wait_for(predicate, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("condition not met in time")


def test_chat_in_the_browser_shows_entities_and_why_then_like_is_stored(page, assistant, tmp_path):
    box = page.get_by_placeholder("Type a message, paste a text, or /help")
    box.fill("find the names in: Priya Nair joined Infosys in Pune")
    box.press("Enter")
    page.get_by_text("Why this answer · ner").first.wait_for(timeout=60_000)
    assert page.locator("mark", has_text="Pune").count() >= 1
    # The explanation opens with plain sentences and a legend; the raw rationale stays behind a closed panel.
    why = page.get_by_text("Why this answer · ner").first
    message = why.locator("xpath=ancestor::div[contains(@class, 'thought-group')][1]")
    closed_height = message.bounding_box()["height"]  # the title alone

    def opened() -> bool:  # the chat may redraw the message while it settles: click until it stays open
        if message.bounding_box()["height"] < closed_height + 100:
            why.click()
            time.sleep(0.5)
            return False
        return page.get_by_text("How to read this").first.is_visible()

    wait_for(opened, 60.0)
    assert page.get_by_text("Details: the full rationale (JSON)").first.is_visible()
    assert not page.get_by_text("Full rationale", exact=True).first.is_visible()
    # EXCHAT_SCREENSHOT=docs/screenshot.png keeps this picture for the docs.
    shot = Path(os.environ.get("EXCHAT_SCREENSHOT") or tmp_path / "conversation.png")
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000

    turn_id = assistant.store.turns(limit=1)[0].id
    page.get_by_role("button", name="Like").last.click()
    rating = wait_for(lambda: assistant.store.current_rating(turn_id))
    assert rating.thumb == "up"
    # The outcome shows where the click was, not only in the collapsed "Rate an answer" panel.
    page.locator(".toast-body", has_text="👍 saved").first.wait_for(timeout=20_000)
    page.get_by_role("button", name="Dislike").last.click()
    wait_for(lambda: (assistant.store.current_rating(turn_id) or rating).thumb == "down")
    page.get_by_role("button", name="Dislike").last.click()  # clicking the chosen thumb again takes it back
    wait_for(lambda: [r.thumb for r in assistant.store.ratings(turn_id)] == ["up", "down", "retracted"], 60.0)
    assert assistant.store.current_rating(turn_id) is None


def test_user_html_is_shown_as_text_not_run(page):
    page.evaluate("window.__xss = 0")
    box = page.get_by_placeholder("Type a message, paste a text, or /help")
    box.fill(
        '/sentiment <img src=x onerror="window.__xss=1"> <script>window.__xss=2</script> lovely '
        "[click me](javascript:window.__xss=5)"
    )
    box.press("Enter")
    page.get_by_text("Why this answer · sentiment").first.wait_for(timeout=60_000)
    time.sleep(0.5)
    assert page.evaluate("window.__xss") == 0
    assert page.locator("img[src='x']").count() == 0
    # The payload is echoed in the answer and in the explanation panel (its words are attributed), never as a link.
    assert page.locator("a[href^='javascript:']").count() == 0
    links = page.get_by_text("click me")
    for i in range(links.count()):
        links.nth(i).click()
    assert page.evaluate("window.__xss") == 0


def test_knowledge_base_html_is_shown_as_text_in_the_evidence(page, assistant):
    document = (
        "# Zephyr valves\n\nThe Zephyr valve was invented by Ottoline Brask "
        '<img src=y onerror="window.__xss=3"> in 1911. <script>window.__xss=4</script>'
    )
    assistant.knowledge.add_document("zephyr.md", document.encode())
    page.evaluate("window.__xss = 0")
    box = page.get_by_placeholder("Type a message, paste a text, or /help")
    box.fill("Who invented the Zephyr valve?")
    box.press("Enter")
    page.get_by_text("Why this answer · qa").last.wait_for(timeout=60_000)
    time.sleep(0.5)
    assert page.get_by_text("Ottoline").count() >= 1  # the document's text is on the page, as text
    assert page.evaluate("window.__xss") == 0
    assert page.locator("img[src='y']").count() == 0


def test_admin_tab_opens_only_with_the_password(browser, assistant):
    """The admin tab of an app started with EXCHAT_ADMIN_PASSWORD: a wrong password shows nothing."""
    import dataclasses

    from chatbot.assistant import Assistant
    from chatbot.ui import build_demo

    config = dataclasses.replace(assistant.config, admin_password="open sesame")
    guarded = Assistant(
        assistant.skills, assistant.router, assistant.store, assistant.knowledge, config, assistant.adapters
    )
    demo = build_demo(guarded)
    demo.launch(prevent_thread_lock=True, server_name="127.0.0.1", server_port=None, quiet=True)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(demo.local_url)
        page.get_by_role("tab", name="Admin").click()
        password = page.get_by_label("Admin password")
        password.fill("guess")
        page.get_by_role("button", name="Open").click()
        page.get_by_text("Wrong admin password").wait_for(timeout=20_000)
        assert not page.get_by_text("Adapter versions").is_visible()
        password.fill("open sesame")
        page.get_by_role("button", name="Open").click()
        page.get_by_text("Adapter versions").first.wait_for(timeout=20_000)
        assert page.get_by_role("button", name="Roll back").is_visible()
    finally:
        page.close()
        demo.close()


def test_a_clarifying_question_and_wrong_skill_feedback_in_the_browser(browser, unsure, unsure_review):
    """An unsure reading asks with clickable options; the click answers the original message with that skill and
    stores the choice as the turn's routing label; "It was for another skill" answers it again and stores that."""

    from chatbot.ui import build_demo

    demo = build_demo(unsure)
    demo.launch(prevent_thread_lock=True, server_name="127.0.0.1", server_port=None, quiet=True)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(demo.local_url)
        box = page.get_by_placeholder("Type a message, paste a text, or /help")
        box.fill(f"hmm: {unsure_review}")
        box.press("Enter")
        page.get_by_text("Do you want its sentiment, the names in it or an answer from it?").first.wait_for(
            timeout=60_000
        )
        asked = unsure.store.turns(limit=1)[0]
        assert asked.skill == "clarify"
        page.get_by_role("button", name="the names in it").click()
        page.get_by_text("Why this answer · ner").first.wait_for(timeout=60_000)
        [label] = wait_for(lambda: unsure.store.ratings(asked.id))
        assert label.correction == {"intent": "ner/new_text", "source": "clarify"}
        answered = unsure.store.turns(limit=1)[0]
        assert answered.skill == "ner" and answered.session_id == asked.session_id
        # "Wrong skill" in the Rate panel: the latest answer again, with the skill chosen there.
        page.get_by_text("Rate an answer").click()
        page.get_by_label("It was for another skill").click()
        page.get_by_role("option", name="sentiment").click()
        page.get_by_role("button", name="Answer again with it").click()
        page.get_by_text("Why this answer · sentiment").first.wait_for(timeout=60_000)
        again = wait_for(lambda: [r.correction for r in unsure.store.ratings(answered.id)])
        assert again == [{"intent": "sentiment/new_text", "source": "wrong skill"}]
        assert unsure.store.turns(limit=1)[0].skill == "sentiment"
    finally:
        page.close()
        demo.close()


def test_a_picture_added_to_the_chat_box_is_read_answered_and_boxed(page, tmp_path):
    from tests.media_files import drawn, encoded

    picture = tmp_path / "news.png"
    picture.write_bytes(encoded(drawn(["Angela Merkel met Emmanuel Macron", "in Berlin on Monday."])))
    page.locator("input[type=file]").first.set_input_files(str(picture))
    box = page.get_by_placeholder("Type a message, paste a text, or /help")
    box.fill("who is mentioned here?")
    box.press("Enter")
    try:
        # earlier tests' answers are on the page too: wait for this one's names
        page.locator("mark", has_text="Emmanuel Macron").first.wait_for(timeout=60_000)
        assert page.locator("mark", has_text="Berlin").count() >= 1
        page.get_by_text("What I read in your picture").first.wait_for(timeout=20_000)
    finally:
        page.screenshot(path=str(tmp_path / "picture.png"), full_page=True)


def test_a_recording_from_the_microphone_is_heard_and_answered(page, assistant, microphone):
    """The chat's 🎤: record (chromium's fake microphone plays an espeak-ng clip), attach, send; what was heard is the
    user's message and is answered like typed text."""
    if microphone is None:
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng)")
    import wave

    with wave.open(str(microphone)) as clip:
        seconds = clip.getnframes() / clip.getframerate()
    page.get_by_role("button", name="Record audio").click()
    page.get_by_role("button", name="Start recording").click()
    time.sleep(seconds + 0.5)  # the whole clip, then half a second of silence
    page.get_by_role("button", name="Stop recording").click()
    page.get_by_role("button", name="Attach audio").click()
    page.get_by_role("button", name="Remove file").wait_for(timeout=20_000)  # the recording sits in the box
    page.get_by_role("button", name="Submit").click()
    page.locator("mark", has_text="Paris").first.wait_for(timeout=60_000)
    assert page.get_by_text("🎤 ").count() >= 1  # what was heard is shown as the user's message
    turn = assistant.store.turns(limit=1)[0]
    assert turn.modality == "audio" and turn.skill == "ner"
    # Not every word: on a loaded machine the recorder may start late and mishear the first name.
    assert "names" in turn.message.lower() and "Paris" in turn.message
    entities = {(e["text"], e["type"]) for e in turn.output["data"]["entities"]}
    assert ("Paris", "LOC") in entities
