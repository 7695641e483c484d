"""Classify a free-text ``food_type`` into the categories the safety rules use.

The word lists are data (``foods.json``) so a missing dish is a one-line
fix with no code change. Matching works on whole words after folding case
and accents ("Crème brûlée" → "creme brulee"), accepts plurals, and prefers
the longest phrase, so "black cod" is fatty fish although "cod" is lean and
"duck egg" is an egg rather than poultry. Every category that matches is
kept: "ground chicken" is both poultry and ground, and both rules apply.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache, lru_cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict

Category = Literal["poultry", "ground", "meat", "fish_lean", "fish", "egg", "vegetable", "other"]
FishKind = Literal["lean", "fatty"]
RuleCategory = Literal[
    "poultry", "ground_meat", "whole_meat", "lean_fish", "fatty_fish", "egg", "vegetable", "other"
]
RULE_CATEGORIES: tuple[RuleCategory, ...] = (
    "poultry",
    "ground_meat",
    "whole_meat",
    "lean_fish",
    "fatty_fish",
    "egg",
    "vegetable",
    "other",
)
"""One word for how the rules read a food, strictest first: poultry outranks ground."""
Phrase = tuple[str, ...]

_WORD = re.compile(r"[a-z]+")


class FoodClass(BaseModel):
    """What the safety rules need to know about a food.

    Attributes:
        matches: each matched phrase with its category, in text order; used
            to quote the words that triggered a rule in its message.
    """

    model_config = ConfigDict(frozen=True)

    matches: tuple[tuple[str, Category], ...] = ()

    @property
    def categories(self) -> frozenset[Category]:
        """Every category that matched."""
        return frozenset(category for _, category in self.matches)

    @property
    def poultry(self) -> bool:
        """Rule 4 applies."""
        return "poultry" in self.categories

    @property
    def ground(self) -> bool:
        """Rule 5 applies: ground or otherwise non-intact, so bacteria are inside."""
        return "ground" in self.categories

    @property
    def whole_meat(self) -> bool:
        """Rule 6 applies to beef, pork or lamb that is not ground."""
        return "meat" in self.categories and not self.ground

    @property
    def fish(self) -> FishKind | None:
        """``fatty`` for any fish not known to be lean: fatty times are the longer ones."""
        if "fish" in self.categories:
            return "fatty"
        return "lean" if "fish_lean" in self.categories else None

    @property
    def rule_category(self) -> RuleCategory:
        """The strictest reading: "ground chicken" is poultry; unrecognised text is ``other``.

        Both rules still apply to a food in two categories; this one word is
        for showing the user (state, Home Assistant) how the food was read.
        """
        fish = self.fish
        checks: tuple[tuple[bool, RuleCategory], ...] = (
            (self.poultry, "poultry"),
            (self.ground, "ground_meat"),
            (self.whole_meat, "whole_meat"),
            (fish == "lean", "lean_fish"),
            (fish == "fatty", "fatty_fish"),
            ("egg" in self.categories, "egg"),
            ("vegetable" in self.categories, "vegetable"),
        )
        return next((category for hit, category in checks if hit), "other")

    @property
    def recognised(self) -> bool:
        """True when any word of the food type was recognised."""
        return bool(self.matches)

    def words(self, *categories: Category) -> str:
        """The matched words of the given categories, quoted, for messages."""
        found = [f"'{text}'" for text, category in self.matches if category in categories]
        return ", ".join(dict.fromkeys(found))


class _FoodFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    about: str
    source: str
    categories: dict[Category, tuple[str, ...]]
    irregular_plurals: dict[str, tuple[str, ...]]


@lru_cache(maxsize=256)
def classify(food_type: str | None) -> FoodClass:
    """Classify a food type; None or unrecognised text gives an empty class.

    Cached: the state shows the food's category on every publish, and a
    cooker's food changes once a cook.
    """
    if not food_type:
        return FoodClass()
    return FoodClass(matches=tuple(_scan(tokens(food_type))))


def tokens(text: str) -> list[str]:
    """Lower-case ASCII words of ``text``, accents removed."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    ascii_text = folded.encode("ascii", "ignore").decode("ascii")
    return _WORD.findall(ascii_text)


def _scan(words: list[str]) -> list[tuple[str, Category]]:
    index, longest = _phrase_index()
    found: list[tuple[str, Category]] = []
    position = 0
    while position < len(words):
        for length in range(min(longest, len(words) - position), 0, -1):
            key = tuple(words[position : position + length])
            if key in index:
                found.append((" ".join(key), index[key]))
                position += length
                break
        else:
            position += 1
    return found


@cache
def _phrase_index() -> tuple[dict[Phrase, Category], int]:
    """Every phrase form (singular and plurals) → its category, and the longest length."""
    data = _load()
    index: dict[Phrase, Category] = {}
    for category, phrases in data.categories.items():
        for phrase in phrases:
            for form in _forms(tuple(phrase.split()), data.irregular_plurals):
                if index.setdefault(form, category) != category:
                    raise ValueError(f"foods.json: {' '.join(form)!r} is in two categories")
    return index, max(len(phrase) for phrase in index)


def _forms(phrase: Phrase, irregular: dict[str, tuple[str, ...]]) -> set[Phrase]:
    """The phrase with its last word in singular and plural forms."""
    head, last = phrase[:-1], phrase[-1]
    return {(*head, word) for word in {last, *plurals(last), *irregular.get(last, ())}}


def plurals(word: str) -> set[str]:
    """Regular English plurals of a noun: -s, -es, -y → -ies, -f(e) → -ves."""
    forms = {word + "s", word + "es"}
    if word.endswith("y") and word[-2:-1] not in set("aeiou"):
        forms.add(word[:-1] + "ies")
    if word.endswith("fe"):
        forms.add(word[:-2] + "ves")
    elif word.endswith("f"):
        forms.add(word[:-1] + "ves")
    return forms


@cache
def _load() -> _FoodFile:
    text = resources.files("bridge.safety").joinpath("foods.json").read_text(encoding="utf-8")
    return _FoodFile.model_validate(json.loads(text))
