"""A 12-sentence CoNLL-2003 fixture for real (tiny) training runs."""

from __future__ import annotations

# CoNLL-2003 columns (token, POS, chunk, NER tag) with IOB1 tags: B- only where an entity follows one of its type.
SENTENCES = [
    "EU NNP I-NP I-ORG|rejects VBZ I-VP O|German JJ I-NP I-MISC|call NN I-NP O|. . O O",
    "Peter NNP I-NP I-PER|Blackburn NNP I-NP I-PER|visited VBD I-VP O|Paris NNP I-NP I-LOC|. . O O",
    "BRUSSELS NNP I-NP I-LOC|1996-08-22 CD I-NP O",
    "Germany NNP I-NP I-LOC|and CC O O|France NNP I-NP I-LOC|agreed VBD I-VP O|. . O O",
    "Reuters NNP I-NP I-ORG|reported VBD I-VP O|the DT I-NP O|news NN I-NP O|. . O O",
    "Anna NNP I-NP I-PER|Schmidt NNP I-NP I-PER|joined VBD I-VP O|Siemens NNP I-NP I-ORG|in IN I-PP O|"
    "Munich NNP I-NP I-LOC|. . O O",
    "The DT I-NP O|British JJ I-NP I-MISC|farmers NNS I-NP O|protested VBD I-VP O|. . O O",
    "Spain NNP I-NP I-LOC|Italy NNP I-NP B-LOC|and CC O O|Greece NNP I-NP I-LOC|voted VBD I-VP O|. . O O",
    "Microsoft NNP I-NP I-ORG|hired VBD I-VP O|John NNP I-NP I-PER|Smith NNP I-NP I-PER|. . O O",
    "Rain NN I-NP O|fell VBD I-VP O|in IN I-PP O|London NNP I-NP I-LOC|. . O O",
    "The DT I-NP O|United NNP I-NP I-ORG|Nations NNP I-NP I-ORG|met VBD I-VP O|in IN I-PP O|"
    "Geneva NNP I-NP I-LOC|. . O O",
    "Maria NNP I-NP I-PER|speaks VBZ I-VP O|fluent JJ I-NP O|French JJ I-NP I-MISC|. . O O",
]


def write_conll(path, sentences: list[str]) -> None:
    lines = ["-DOCSTART- -X- -X- O", ""]
    for sentence in sentences:
        lines += [*sentence.split("|"), ""]
    path.write_text("\n".join(lines) + "\n")
