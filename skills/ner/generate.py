"""Sentences about products, brands and apps, with their names tagged: the text of reviews, support questions and
chat that CoNLL-2003's newswire hardly has (it has a few hundred product names in 14,041 sentences).

Labels follow the CoNLL-2003 guidelines: a company or brand is ORG ("Samsung", "Spotify"); a product or model
type is MISC ("Galaxy S23", "PlayStation 5"), with its maker when the maker's name comes right before it
("Toyota Corolla", as CoNLL tags car types); games, films and software titles are MISC; people PER, places LOC.
Every template and name below was written by hand for this generator (none comes from an evaluation set).
Training reads these with `--extra-train` beside CoNLL's sentences; the NER features add a lowercased copy of each.

    python -m skills.ner.generate --out runs/ner_products.conll [--n 2000] [--seed 13]
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

from skills.ner.data import TaggedSentence, ner_bio

# (maker, product lines it makes): products are MISC, makers ORG.
MAKERS: dict[str, tuple[str, ...]] = {
    "Apple": ("iPhone 15", "iPhone 13 mini", "MacBook Air", "MacBook Pro", "AirPods Pro", "iPad Air", "Apple Watch"),
    "Samsung": ("Galaxy S23", "Galaxy A54", "Galaxy Buds2", "Galaxy Tab S9", "Galaxy Watch 6"),
    "Google": ("Pixel 8", "Pixel 7a", "Pixel Buds Pro", "Nest Hub", "Chromecast"),
    "Sony": ("PlayStation 5", "WH-1000XM5", "Xperia 10", "Bravia XR"),
    "Microsoft": ("Xbox Series X", "Surface Pro 9", "Surface Laptop"),
    "Nintendo": ("Switch OLED", "Switch Lite"),
    "Dell": ("XPS 13", "Inspiron 15"),
    "Lenovo": ("ThinkPad X1 Carbon", "Legion 5", "IdeaPad 3"),
    "Amazon": ("Kindle Paperwhite", "Echo Dot", "Fire TV Stick"),
    "Tesla": ("Model 3", "Model Y"),
    "Toyota": ("Corolla", "Yaris", "RAV4", "Prius"),
    "Honda": ("Civic", "Jazz", "CR-V"),
    "Volkswagen": ("Golf", "Polo", "Tiguan"),
    "Ford": ("Fiesta", "Focus", "Mustang"),
    "Dyson": ("V15 Detect", "Airwrap", "Supersonic"),
    "Garmin": ("Forerunner 255", "Fenix 7", "Venu 2"),
    "Fitbit": ("Charge 6", "Versa 4"),
    "Nike": ("Air Max 90", "Pegasus 40", "Air Force 1"),
    "Adidas": ("Ultraboost", "Stan Smith", "Samba"),
    "Bose": ("QuietComfort 45", "SoundLink Flex"),
    "GoPro": ("Hero 12",),
    "Canon": ("EOS R6", "PowerShot G7"),
    "Nikon": ("Z50", "D750"),
    "Xiaomi": ("Redmi Note 12", "Mi Band 8"),
    "OnePlus": ("OnePlus 11", "Nord 3"),
    "iRobot": ("Roomba j7",),
    "Logitech": ("MX Master 3", "G Pro X"),
}
BRANDS_ONLY = (
    "Philips", "Bosch", "LG", "HP", "Asus", "Acer", "Lego", "IKEA", "Huawei", "Nokia", "Motorola", "JBL", "Razer",
    "Kia", "Hyundai", "BMW", "Audi", "Peugeot", "Puma", "Uniqlo", "Zara", "Decathlon", "Miele", "Siemens", "Fujifilm",
)  # fmt: skip
APPS = (
    "Spotify", "Netflix", "Uber", "Airbnb", "WhatsApp", "Instagram", "TikTok", "Duolingo", "PayPal", "Revolut",
    "Deliveroo", "Zoom", "Slack", "Strava", "Shazam",
)  # fmt: skip
SOFTWARE = ("Windows 11", "iOS 17", "Android 14", "macOS Sonoma", "Photoshop", "Excel", "Chrome", "Firefox")
GAMES_AND_FILMS = ("Minecraft", "Mario Kart 8", "Elden Ring", "FIFA 24", "Fortnite", "Oppenheimer", "Barbie", "Dune")
STORES = ("Best Buy", "Currys", "MediaMarkt", "Walmart", "Target", "Argos", "Fnac", "John Lewis", "Costco")
PEOPLE = (
    "Maria", "Tom", "Priya", "Lucas", "Aisha", "Ben Carter", "Sofia Rossi", "Kenji", "Olga", "Daniel Osei", "Hannah",
    "Marco", "Fatima", "Jake", "Lena Fischer", "Ravi", "Chloe", "Mateo Garcia",
)  # fmt: skip
PLACES = (
    "London", "Berlin", "Madrid", "Toronto", "Sydney", "Lyon", "Manchester", "Dublin", "Tokyo", "Chicago", "Milan",
    "Lisbon", "Mumbai", "Austin", "Glasgow", "Seoul",
)  # fmt: skip

# {product}: a product (MISC), sometimes with its maker in front; {maker}: its maker (ORG); {brand}: any brand (ORG)
TEMPLATES = (
    "my {product} keeps overheating when I charge it",
    "Is the {product} worth it or should I wait for the next one?",
    "just got the {product} from {store} and the battery is amazing",
    "The {product} arrived broken, {store} refused a refund.",
    "does the {product} work with {software}?",
    "{maker} really messed up the update for the {product}",
    "I returned my {product} to {store} in {place} yesterday",
    "comparing the {product} with the {other} before I buy",
    "{person} says the {product} is better than anything {brand} makes",
    "after two weeks with the {product}: great screen, awful speakers",
    "Can I use {app} on the {product}?",
    "{app} keeps crashing since I updated to {software}",
    "anyone else having wifi drops on the {product}??",
    "{brand} customer service in {place} was useless honestly",
    "bought a {product} for my son, he plays {game} all day",
    "the {product} is on sale at {store} this weekend",
    "Why is the {product} so expensive in {place}?",
    "I cancelled {app} because the price went up again",
    "switched from {brand} to {maker} last year and never looked back",
    "{person} lent me her {product} for the trip to {place}",
    "Review: the {product} is light, fast and quiet.",
    "how do I reset a {product} to factory settings",
    "{maker} announced a new {product} at an event in {place}",
    "The {product} does not turn on after the {software} update.",
    "love my {product} but the {app} app drains the battery",
    "is {store} in {place} open on Sunday? need a charger for my {product}",
    "{person} and I watched {film} on {app} last night",
    "my {product} died, going back to {brand}",
    "rate the {product}: 4 stars, the case from {brand} is better",
    "{maker} stock fell after the {product} recall",
    "Got a cracked screen on my {product}, does {maker} fix it for free?",
    "who makes better laptops, {brand} or {maker}?",
    "the new {product} camera is honestly insane",
    "I paid 300 euros for the {product} at {store}",
    "can't decide between the {product} and a {brand} one",
    "{app} is down again in {place}",
    "Playing {game} on the {product} is smooth at 60 fps.",
    "{person} works at {brand} in {place}",
    "ordered the {product} on {app}... still waiting",
    "fixed it! the {product} just needed {software} reinstalled",
)
_SLOT = re.compile(r"\{(\w+)\}")

# Chat as people type it (`--chat`): first names and handles, friends' plans, gigs, games and teams, with the slang
# that is never a name ("ngl", "brb", "lmao", "smh") around them; some messages name nothing at all. Written by hand
# for this generator after the chat development set (bench/data/ner_chat_dev) showed slang read as names ("ngl" as
# ORG, "lmao sarah" as one name); none of its sentences or names is used here.
SLANG = (
    "ngl", "tbh", "lol", "lmao", "omg", "smh", "brb", "rn", "fr", "idk", "imo", "bruh", "yo", "ppl", "tho", "lowkey",
    "istg", "ffs", "ikr", "btw", "omw", "asap", "hmu", "wyd", "fml", "nvm", "ty", "np", "gg", "irl",
)  # fmt: skip
FRIENDS = (
    "Sam", "Jess", "Noah", "Emma", "Kofi", "Mia", "Leo", "Zara", "Arjun", "Ines", "Finn", "Yuki", "Nadia", "Oscar",
    "Amara", "Luca", "Freya", "Diego", "Hana", "Ethan", "Rosa", "Tariq", "Elif", "Max",
)  # fmt: skip
HANDLES = ("sam_w", "jessicaaa", "noah.k", "em_rose", "kofi_b", "mia2003", "leo_runs", "zara.m", "dieg0")
ARTISTS = (
    "Taylor Swift", "Drake", "Dua Lipa", "Bad Bunny", "Harry Styles", "Olivia Rodrigo", "Kendrick Lamar", "Adele",
    "Rosalía", "Ed Sheeran", "Burna Boy", "Beyoncé",
)  # fmt: skip
ATHLETES = ("Haaland", "Mbappe", "LeBron", "Hamilton", "Verstappen", "Alcaraz", "Simone Biles", "Curry", "Saka")
TEAMS = ("Arsenal", "Lakers", "Man United", "Juventus", "Celtic", "Yankees", "Barca", "Bayern", "Warriors", "Spurs")
EVENTS = (
    "Coachella", "Wimbledon", "the Super Bowl", "the Champions League final", "Eurovision", "Oktoberfest", "Comic-Con",
    "the World Cup", "Primavera Sound", "the Tour de France",
)  # fmt: skip
SCHOOLS = ("Harvard", "MIT", "Stanford", "UCLA", "Imperial", "Sciences Po", "NYU", "Trinity College", "KU Leuven")
FOOD_PLACES = ("Nando's", "Five Guys", "Wagamama", "Pret", "Greggs", "Starbucks", "Taco Bell", "Dishoom", "Shake Shack")
AIRLINES = ("Ryanair", "easyJet", "Lufthansa", "KLM", "Delta", "Emirates", "Vueling", "Aer Lingus")
CITIES = (
    "Lisbon", "Berlin", "Barcelona", "Manchester", "Amsterdam", "Brooklyn", "Nairobi", "Krakow", "Bristol", "Osaka",
    "Naples", "Vancouver", "Leeds", "Marseille", "Cork", "Prague",
)  # fmt: skip
# {slang} is filled with SLANG (never an entity); {friend}/{friend2} PER, {handle} PER (the @ is not part of it),
# {artist} {athlete} PER, {team} {school} {food} {airline} ORG, {event} MISC (its "the" is not part of it), {city} LOC
CHAT_TEMPLATES = (
    "{slang} {friend} just told me she's moving to {city}",
    "yo {friend} u coming to {event} or nah",
    "{slang} the {team} game last night was painful",
    "heading to {city} with {friend} this weekend {slang}",
    "{friend} got into {school}!! so proud",
    "anyone else watching {event} rn",
    "@{handle} did u see what {artist} posted",
    "{artist} in {city} was unreal {slang}",
    "lunch at {food}? {friend} is paying lol",
    "cant believe {team} sold {athlete}",
    "who's driving to {city} for {event}",
    "{slang} i miss {city} so much",
    "text {friend} and tell her the {team} tickets are sorted",
    "{friend} and {friend2} are arguing about {athlete} again",
    "{slang} studying at the {school} library till 2am",
    "flight to {city} delayed 2 hrs bc of {airline} {slang}",
    "{friend} said {artist} is overrated and i cant",
    "brb {friend} is calling",
    "ok {friend} see u at {food} at 7",
    "sooo {team} won?? {slang}",
    "moving from {city} to {city2} next month, any tips",
    "{slang} my boss is making me fly {airline} again",
    "got my {school} offer today {slang}",
    "seeing {artist} at {event} was a dream",
    "{friend} lowkey hates {city} lol",
    "@{handle} congrats on {school}!!",
    "{athlete} is cooked {slang}",
    "did {friend} ever pay u back for {food}",
    "{slang} {team} fans are so annoying rn",
    "whos got a spare ticket for {event}, asking for {friend}",
    "im in {city} till friday hmu",
    "{friend} wyd, {food} later?",
    "me and {friend} tried the new {food} in {city}",
    "{artist} tickets sold out in 2 mins {slang}",
    "never flying {airline} again smh",
    "{friend} u still at {school}?",
    "watching the {team} match at {friend}'s place",
    "@{handle} {slang} that pic from {city} is so good",
    # no names at all: slang and everyday words are never entities
    "{slang} this week has been so long",
    "idk what to cook tonight {slang}",
    "omw, 5 mins",
    "{slang} my wifi died again",
    "lowkey want pizza rn",
    "brb need coffee",
    "{slang} exam tomorrow and i know nothing",
    "gg everyone, good game",
    "lol same",
    "ty for the help!! {slang}",
)
CHAT_FILLERS = {
    "friend": (FRIENDS, "PER"),
    "friend2": (FRIENDS, "PER"),
    "handle": (HANDLES, "PER"),
    "artist": (ARTISTS, "PER"),
    "athlete": (ATHLETES, "PER"),
    "team": (TEAMS, "ORG"),
    "school": (SCHOOLS, "ORG"),
    "food": (FOOD_PLACES, "ORG"),
    "airline": (AIRLINES, "ORG"),
    "event": (EVENTS, "MISC"),
    "city": (CITIES, "LOC"),
    "city2": (CITIES, "LOC"),
}


def generate(n: int, seed: int = 13) -> list[TaggedSentence]:
    """`n` tagged sentences from the templates, with names drawn at random (seeded)."""
    rng = random.Random(seed)
    return [_sentence(rng.choice(TEMPLATES), rng) for _ in range(n)]


def generate_chat(n: int, seed: int = 13) -> list[TaggedSentence]:
    """`n` tagged chat messages from CHAT_TEMPLATES, written as people type them: a third all lower case."""
    rng = random.Random(seed)
    return [_chat_sentence(rng.choice(CHAT_TEMPLATES), rng) for _ in range(n)]


def _chat_sentence(template: str, rng: random.Random) -> TaggedSentence:
    fillers = {slot: (rng.choice(names), kind) for slot, (names, kind) in CHAT_FILLERS.items()}
    fillers["slang"] = (rng.choice(SLANG), None)
    text, entities = _filled(template, fillers)
    if rng.random() < 1 / 3:
        text = text.lower()
    words, tags = ner_bio(text, entities)
    return TaggedSentence(words, tags)


def _filled(template: str, fillers: dict[str, tuple[str, str | None]]) -> tuple[str, list[dict]]:
    """The template with its slots filled, and the entities (character offsets) of the fillers that have a type; an
    event's leading "the" stays outside its entity."""
    text, entities, cursor = "", [], 0
    for match in _SLOT.finditer(template):
        text += template[cursor : match.start()]
        name, kind = fillers[match.group(1)]
        start = len(text) + (4 if name.startswith("the ") else 0)
        if kind is not None:
            entities.append({"start": start, "end": len(text) + len(name), "type": kind})
        text += name
        cursor = match.end()
    return text + template[cursor:], entities


def _sentence(template: str, rng: random.Random) -> TaggedSentence:
    maker = rng.choice(sorted(MAKERS))
    fillers = {
        "maker": (maker, "ORG"),
        "product": _product(maker, rng),
        "other": _product(rng.choice(sorted(MAKERS)), rng),
        "brand": (rng.choice(BRANDS_ONLY + tuple(MAKERS)), "ORG"),
        "app": (rng.choice(APPS), "ORG"),
        "software": (rng.choice(SOFTWARE), "MISC"),
        "game": (rng.choice(GAMES_AND_FILMS[:5]), "MISC"),
        "film": (rng.choice(GAMES_AND_FILMS[5:]), "MISC"),
        "store": (rng.choice(STORES), "ORG"),
        "person": (rng.choice(PEOPLE), "PER"),
        "place": (rng.choice(PLACES), "LOC"),
    }
    text, entities = _filled(template, fillers)
    words, tags = ner_bio(text, entities)
    return TaggedSentence(words, tags)


def _product(maker: str, rng: random.Random) -> tuple[str, str]:
    """A product of `maker`, with the maker's name in front a third of the time (the whole name is MISC)."""
    product = rng.choice(MAKERS[maker])
    if product.startswith(maker) or rng.random() > 1 / 3:
        return product, "MISC"
    return f"{maker} {product}", "MISC"


def to_conll(sentences: list[TaggedSentence]) -> str:
    """CoNLL columns (word, BIO tag), a blank line after each sentence: what `skills.ner.data.read_conll` reads."""
    return "".join(
        "".join(f"{word}\t{tag}\n" for word, tag in zip(s.tokens, s.tags, strict=True)) + "\n" for s in sentences
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--chat", type=int, default=0, help="also this many chat messages (after the products)")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    # The chat messages draw from their own seed, so the product sentences stay those of the same --n and --seed.
    sentences = generate(args.n, args.seed) + generate_chat(args.chat, args.seed + 1)
    args.out.write_text(to_conll(sentences), encoding="utf-8")
    print(f"wrote {args.n} product sentences and {args.chat} chat messages to {args.out}")


if __name__ == "__main__":
    main()
