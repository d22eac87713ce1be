"""Tiny models built in the tests, never downloaded: a random BERT encoder folder (with a tokenizer) that
SentenceTransformer and transformers load, and a fake split package (skills/packaged.py) installed on sys.path."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

WORDS = ["the", "film", "was", "dull", "great", "who", "is", "in", "it", "paris", "priya", "nair", "."]


def tiny_encoder(folder: Path, hidden_size: int = 32, layers: int = 2, seed: int = 0) -> Path:
    """A random BERT (BertConfig(hidden_size, num_hidden_layers)) with a WordPiece tokenizer, saved to `folder`."""
    import torch
    from transformers import BertConfig, BertModel, BertTokenizerFast

    folder.mkdir(parents=True, exist_ok=True)
    vocab = folder / "vocab.txt"
    vocab.write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS]) + "\n")
    BertTokenizerFast(vocab=str(vocab), do_lower_case=True).save_pretrained(folder)
    torch.manual_seed(seed)
    config = BertConfig(
        vocab_size=len(WORDS) + 5,
        hidden_size=hidden_size,
        num_hidden_layers=layers,
        num_attention_heads=2,
        intermediate_size=2 * hidden_size,
        max_position_embeddings=128,
    )
    BertModel(config, add_pooling_layer=False).save_pretrained(folder)
    return folder


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def folder_files(folder: Path, prefix: str) -> dict[str, bytes]:
    """A folder's files as zip members under `prefix/`."""
    return {f"{prefix}/{p.relative_to(folder).as_posix()}": p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def install_part(site: Path, package: str, data: bytes, number: int, stem: str) -> None:
    """A distribution as pip leaves it: the slice under the package's folder, listed in the dist-info RECORD."""
    relative = f"{package.replace('-part-', '-part_')}/input/{stem}.zip.{number:03d}"
    (site / relative).parent.mkdir(parents=True)
    (site / relative).write_bytes(data)
    info = site / f"{package.replace('-', '_')}-0.0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {package}\nVersion: 0.0.1\n")
    (info / "RECORD").write_text(f"{relative},sha256=x,{len(data)}\n{info.name}/METADATA,,\n{info.name}/RECORD,,\n")


def install_split_model(site: Path, name: str, folder: str, whole: bytes, parts: int = 3, stem: str | None = None):
    """`whole` cut into `parts` slices, each installed as package `<stem>-pypi-part-00N` in `site` (put `site` on
    sys.path); returns the SplitModel that describes them."""
    from skills.packaged import SplitModel

    stem = stem or folder
    cuts = [len(whole) * i // parts for i in range(parts + 1)]
    slices = [whole[cuts[i] : cuts[i + 1]] for i in range(parts)]
    packages = [f"{stem}-pypi-part-{i + 1:03d}" for i in range(parts)]
    site.mkdir(parents=True, exist_ok=True)
    for number, (package, data) in enumerate(zip(packages, slices, strict=True), start=1):
        install_part(site, package, data, number, stem)
    digests = tuple((p, hashlib.sha256(s).hexdigest()) for p, s in zip(packages, slices, strict=True))
    return SplitModel(name=name, folder=folder, parts=digests, sha256=hashlib.sha256(whole).hexdigest())


def adapter_bundle(encoder_folder: Path, out: Path, skill: str = "sentiment", scale: float = 1.0) -> Path:
    """A bundle for `skill` with random LoRA weights and head (its weights times `scale`: larger, surer outputs)
    on the encoder in `encoder_folder`, recording that encoder as training does."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModel

    from skills.encoder import BundleInfo, HeadConfig, TaskHead, encoder_signature, portable_base_model, save_head
    from skills.registry import get_skill
    from training.train import LORA_TARGETS

    bert = AutoModel.from_pretrained(encoder_folder, add_pooling_layer=False)
    get_peft_model(bert, LoraConfig(r=2, lora_alpha=4, target_modules=LORA_TARGETS)).save_pretrained(str(out))
    spec = get_skill(skill).spec
    head = TaskHead(HeadConfig(kind=spec.head, labels=list(spec.head_labels), hidden_size=bert.config.hidden_size))
    with torch.no_grad():
        head.linear.weight.mul_(scale)
    save_head(head, out)
    info = BundleInfo(
        skill=skill,
        version="v1",
        head=head.config,
        max_length=64,
        base_model=portable_base_model(str(encoder_folder)),
        encoder=encoder_signature(bert.config),
    )
    info.write(out)
    return out
