"""Command-line options from a configuration dataclass: one `--name` per field, with its type and help text."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path
from typing import Any

_TYPES = {"Path": Path, "Path | None": Path, "int": int, "float": float, "int | None": int}


def add_config_arguments(parser: argparse.ArgumentParser, config_class: type) -> None:
    """`--field-name` for every field of `config_class`; a bool is a flag; fields without a default are required."""
    for f in dataclasses.fields(config_class):
        option = "--" + f.name.replace("_", "-")
        if str(f.type) == "bool":
            parser.add_argument(option, dest=f.name, action="store_true", default=None, help=f.metadata["help"])
            continue
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        kind = _TYPES.get(str(f.type), str)
        parser.add_argument(option, dest=f.name, type=kind, required=required, help=f.metadata.get("help"))


def config_values(args: argparse.Namespace, config_class: type) -> dict[str, Any]:
    """The options given on the command line that are fields of `config_class` (the rest keep their defaults)."""
    names = {f.name for f in dataclasses.fields(config_class)}
    return {k: v for k, v in vars(args).items() if k in names and v is not None}
