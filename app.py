"""Entry point (also the Hugging Face Space's `app_file`): load the assistant, start the Gradio app.

python app.py        # http://127.0.0.1:7860 ; settings: EXCHAT_* environment variables (core/config.py)
"""

from __future__ import annotations

import logging
import os

from chatbot.assistant import Assistant
from chatbot.ui import build_demo
from core.config import AppConfig


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    config = AppConfig.from_env()
    demo = build_demo(Assistant.from_config(config))
    # A Space must listen on every interface; elsewhere the default stays on loopback.
    host = "0.0.0.0" if os.environ.get("SPACE_ID") else config.host
    demo.launch(server_name=host, server_port=config.port)


if __name__ == "__main__":
    main()
