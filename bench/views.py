"""The floor: a database-free page that costs what any Django page costs here.

It passes through the whole middleware stack and the site's context processors, and renders a
template of about 20 KB from a loop over a static list, so the number it gives is "request,
middleware and template work" with no database in it.
"""

import copy
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.backends.django import DjangoTemplates

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

# bench/ is not an installed app, so it gets its own engine; same options and context
# processors as the site's engine, and the same cached loader Django uses by default.
_engine = DjangoTemplates(
    {
        "NAME": "bench",
        "DIRS": [TEMPLATES_DIR],
        "APP_DIRS": False,
        "OPTIONS": copy.deepcopy(settings.TEMPLATES[0].get("OPTIONS", {})),
    }
)

AUTHORS = ["Aiko", "Ben", "Chloe", "Daisuke", "Emma", "Fumiko", "George", "Hana"]
TOPICS = [
    "Warm-up games for a class of 40",
    "Team teaching with a new JTE",
    "Phonics in elementary school",
    "Making eiken practice less dry",
    "Classroom English the students actually use",
]

# Built once at import: the view measures rendering, not building the data.
ITEMS = [
    {
        "id": n,
        "title": f"{TOPICS[n % len(TOPICS)]} (part {n // len(TOPICS) + 1})",
        "author": AUTHORS[n % len(AUTHORS)],
        "replies": n % 7,
        "body": (
            "A short excerpt of the kind a list page shows: what worked, what did not, "
            "and what the students said <afterwards> & why."
        ),
    }
    for n in range(31)
]


def floor(request: HttpRequest) -> HttpResponse:
    template = _engine.get_template("bench/floor.html")
    return HttpResponse(template.render({"items": ITEMS}, request))
