"""Small builders for course data. Each returns saved objects made the way the site makes them."""

from pathlib import Path

from altto.courses.models import Lesson, LessonText, Module, ModuleText, Option, Question


def make_module(slug="team-teaching", *, title="Team teaching", order=1, lessons=0, **fields):
    fields.setdefault("is_published", True)
    fields.setdefault("estimated_minutes", 30)
    module = Module.objects.create(slug=slug, order=order, **fields)
    ModuleText.objects.create(
        module=module, language="en", title=title, summary=f"About {title.lower()}."
    )
    for number in range(1, lessons + 1):
        make_lesson(module, f"lesson-{number}", order=number)
    return module


def make_lesson(module, slug="planning", *, title=None, order=1, body=None, **fields):
    fields.setdefault("is_published", True)
    fields.setdefault("estimated_minutes", 10)
    lesson = Lesson.objects.create(module=module, slug=slug, order=order, **fields)
    LessonText.objects.create(
        lesson=lesson,
        language="en",
        title=title or slug.replace("-", " ").capitalize(),
        body=body or "Plan with your JTE **before** class.",
        objectives=["Plan a lesson with a JTE"],
        references=["MEXT. *Course of Study* (2017)."],
        reflection_prompt="What will you ask your JTE first?",
    )
    return lesson


def add_check(lesson, *, kind="single", pass_mark=None):
    """One question: 'Who leads the class?' The right answer is 'The JTE'.
    For kind='multiple' the right answers are 'The JTE' and 'The HRT'."""
    question = Question.objects.create(lesson=lesson, kind=kind, prompt="Who leads the class?")
    right = Option.objects.create(
        question=question, order=0, text="The JTE", is_correct=True, feedback="Yes: they are T1."
    )
    wrong = Option.objects.create(
        question=question, order=1, text="The ALT", feedback="The ALT assists; the JTE leads."
    )
    also = Option.objects.create(
        question=question,
        order=2,
        text="The HRT",
        is_correct=kind == "multiple",
        feedback="In elementary school, often.",
    )
    if pass_mark is not None:
        lesson.pass_mark = pass_mark
        lesson.save(update_fields=["pass_mark"])
    return question, right, wrong, also


CURRICULUM_LESSON = """---
slug: {slug}
title: {title}
estimated_minutes: 8
objectives: [Greet the staff room]
references: ["CLAIR. JET Programme ALT Handbook."]
reflection: What will you say first?
check:
  questions:
    - kind: single
      prompt: Who do you greet first?
      options:
        - text: The principal
          correct: true
          feedback: Usually, yes.
        - text: Nobody
          feedback: Greetings matter.
---
{body}
"""


def write_curriculum(root: Path, body: str = "Say good morning.") -> Path:
    """A one-module, one-lesson curriculum in the content/README.md format, under `root`."""
    module = root / "01-first-day"
    module.mkdir(parents=True, exist_ok=True)
    (module / "module.md").write_text(
        "---\nslug: first-day\ntitle: First day\nsummary: Your first day.\n"
        "ja:\n  title: 初日\n  summary: 初日のこと。\n---\nIntro.\n"
    )
    (module / "01-greetings.md").write_text(
        CURRICULUM_LESSON.format(slug="greetings", title="Greetings", body=body)
    )
    return root
