"""What a user shows or says instead of typing: speech to text (`speech.py`, faster-whisper) and the text in a picture
(`ocr.py`, RapidOCR), each checked first by `files.py` (size, kind of file, what it really holds).

Each reader returns a `core.records.InputReading` (the text, the recogniser's confidence, and the words with their
times or the lines with their boxes) that the `Assistant` answers like typed text and the explanation shows as
"heard: ..." or "read: ...". Models load on first use, once per process.
"""
