"""Classifying free-text food types with the word lists in foods.json."""

from __future__ import annotations

import pytest

from bridge.safety import classify
from bridge.safety.foods import plurals, tokens

P, G, M, LEAN, FAT, NONE = "poultry", "ground", "meat", "lean", "fatty", "none"

# (dish, expected flags) — flags: poultry, ground, whole meat, fish kind, or none of them.
DISHES: list[tuple[str, set[str]]] = [
    ("Chicken thighs", {P}),
    ("chicken breast", {P}),
    ("Chicken Wings", {P}),
    ("buffalo wings", {P, M}),
    ("turkey breast", {P}),
    ("Turkey legs", {P}),
    ("duck breast", {P}),
    ("duck confit", {P}),
    ("goose legs", {P}),
    ("roast geese", {P}),
    ("quail", {P}),
    ("Cornish game hens", {P}),
    ("pheasant breast", {P}),
    ("foie gras", {P}),
    ("chicken drumsticks", {P}),
    ("ground chicken", {P, G}),
    ("chicken sausage", {P, G}),
    ("turkey meatballs", {P, G}),
    ("turkey burgers", {P, G}),
    ("smash burger", {G}),
    ("Cheeseburger patties", {G}),
    ("ground beef", {G, M}),
    ("minced lamb", {G, M}),
    ("pork mince", {G, M}),
    ("Italian sausages", {G}),
    ("bratwurst", {G}),
    ("hot dogs", {G}),
    ("meatloaf", {G}),
    ("meat loaf", {G}),
    ("Meat loaves", {G}),
    ("lamb kofte", {G, M}),
    ("chicken kebabs", {P, G}),
    ("beef kabob", {G, M}),
    ("lamb gyros", {G, M}),
    ("merguez", {G}),
    ("boerewors", {G}),
    ("guineafowl", {P}),
    ("guinea fowl breast", {P}),
    ("lean fish", {LEAN}),
    ("white fish", {LEAN}),
    ("fatty fish", {FAT}),
    ("lamb kofta", {G, M}),
    ("mechanically tenderized steak", {G, M}),
    ("ribeye", {M}),
    ("Ribeye steak", {M}),
    ("beef short ribs", {M}),
    ("pork shoulder", {M}),
    ("pork belly", {M}),
    ("pork chops", {M}),
    ("pork tenderloin", {M}),
    ("beef brisket", {M}),
    ("filet mignon", {M}),
    ("tri-tip", {M}),
    ("picanha", {M}),
    ("rack of lamb", {M}),
    ("leg of lamb", {M}),
    ("venison loin", {M}),
    ("veal cheeks", {M}),
    ("T-bone", {M}),
    ("wild salmon fillet", {FAT}),
    ("salmon", {FAT}),
    ("Steelhead trout", {FAT}),
    ("ahi tuna steak", {FAT}),
    ("mackerel", {FAT}),
    ("black cod", {FAT}),
    ("sea bass", {FAT}),
    ("cod loin", {LEAN}),
    ("halibut", {LEAN}),
    ("shrimp", {LEAN}),
    ("jumbo prawns", {LEAN}),
    ("lobster tails", {LEAN}),
    ("sea scallops", {LEAN}),
    ("mahi-mahi", {LEAN}),
    ("octopus", {LEAN}),
    ("salmon burgers", {G, FAT}),
    ("carrots", {NONE}),
    ("egg bites", {NONE}),
    ("soft-boiled eggs", {NONE}),
    ("duck eggs", {NONE}),
    ("Crème brûlée", {NONE}),
    ("eggplant", {NONE}),
    ("hen of the woods mushrooms", {NONE}),
    ("potatoes", {NONE}),
    ("sweet potatoes", {NONE}),
    ("asparagus", {NONE}),
    ("corn on the cob", {NONE}),
    ("cherries", {NONE}),
    ("steel cut oats", {NONE}),
    ("ground pepper crusted carrots", {NONE}),
    ("yogurt", {NONE}),
]


def _flags(food_type: str) -> set[str]:
    food = classify(food_type)
    flags = {P} if food.poultry else set()
    flags |= {G} if food.ground else set()
    flags |= {M} if "meat" in food.categories else set()
    flags |= {food.fish} if food.fish else set()
    return flags or {NONE}


def test_there_are_at_least_sixty_real_dishes() -> None:
    assert len(DISHES) >= 60


@pytest.mark.parametrize(("dish", "expected"), DISHES, ids=[d for d, _ in DISHES])
def test_dish_is_classified(dish: str, expected: set[str]) -> None:
    assert _flags(dish) == expected


@pytest.mark.parametrize("dish", ["carrots", "egg bites", "yogurt", "duck eggs", "ribeye"])
def test_known_foods_are_recognised(dish: str) -> None:
    assert classify(dish).recognised


@pytest.mark.parametrize("dish", [None, "", "mystery box", "chickens?!", "xyzzy"])
def test_unknown_or_missing_foods_are_not_recognised(dish: str | None) -> None:
    expected_poultry = dish == "chickens?!"
    assert classify(dish).poultry is expected_poultry


def test_matching_is_on_whole_words() -> None:
    assert not classify("hamburger buns").categories & {"meat"}  # "ham" is not inside a word
    assert not classify("groundnut stew").ground
    assert not classify("charred leeks").fish


def test_ground_whole_meat_is_not_whole_muscle() -> None:
    food = classify("ground beef")
    assert food.ground
    assert not food.whole_meat


def test_words_quote_what_matched() -> None:
    assert classify("Chicken & pork sausages").words("poultry", "ground") == "'chicken', 'sausages'"


@pytest.mark.parametrize(
    ("word", "plural"), [("breast", "breasts"), ("patty", "patties"), ("dish", "dishes")]
)
def test_plurals(word: str, plural: str) -> None:
    assert plural in plurals(word)


def test_tokens_fold_case_and_accents() -> None:
    assert tokens("Pâté de CAMPAGNE, 2×") == ["pate", "de", "campagne"]
