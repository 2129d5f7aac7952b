"""Load the starter curriculum from content/modules/ (format: content/README.md).

Idempotent: a second load changes nothing; a changed file updates its rows; a text or check
that an editor changed on the site is left alone and reported, never overwritten."""

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import transaction

from altto.courses.models import Lesson, LessonText, Module, ModuleText
from altto.courses.models.checks import check_as_data, replace_check
from altto.revisions.actions import ensure_revision
from altto.revisions.models import Revision

FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n?(.*)\Z", re.DOTALL)
ORDERED_NAME = re.compile(r"^(\d+)-([a-z0-9-]+)$")


class CurriculumError(ValueError):
    pass


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept_site_edits: list[str] = field(default_factory=list)

    def count(self, outcome: str, label: str) -> None:
        if outcome == "kept":
            self.kept_site_edits.append(label)
        else:
            setattr(self, outcome, getattr(self, outcome) + 1)


def read_document(path: Path) -> tuple[dict, str]:
    match = FRONT_MATTER.match(path.read_text(encoding="utf-8"))
    if not match:
        raise CurriculumError(f"{path}: no front matter between --- lines")
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        raise CurriculumError(f"{path}: front matter is not valid YAML: {exc}") from None
    if not isinstance(meta, dict):
        raise CurriculumError(f"{path}: front matter must be a mapping")
    return meta, match.group(2).strip() + "\n"


def _ordered(path: Path) -> tuple[int, str]:
    match = ORDERED_NAME.match(path.name.removesuffix(".md").removesuffix(".ja"))
    if not match:
        raise CurriculumError(f"{path}: name must look like 01-some-slug")
    return int(match.group(1)), match.group(2)


def apply_loaded(row, values: dict, report: LoadReport, label: str, counted: bool = True) -> None:
    """Create or update one loaded row (a LoadedFromFiles) unless the site changed it since
    the last load. The library loader uses it too."""
    if row.pk and row.edited_on_site:
        report.count("kept", label)
        return
    for name, value in values.items():
        setattr(row, name, value)
    new_hash = row.content_hash()
    if row.pk and row.loaded_hash == new_hash:
        if counted:
            report.count("unchanged", label)
        return
    outcome = "updated" if row.pk else "created"
    row.loaded_hash = new_hash
    row.save()
    if counted:
        report.count(outcome, label)


def check_hash(questions: list[dict]) -> str:
    return hashlib.sha256(json.dumps(questions, sort_keys=True).encode()).hexdigest()


def normalise_check(raw: dict | None, path: Path) -> list[dict]:
    questions = []
    for number, q in enumerate((raw or {}).get("questions", []), start=1):
        kind = q.get("kind", "single")
        options = [
            {
                "text": str(o["text"]),
                "correct": bool(o.get("correct", False)),
                "feedback": str(o.get("feedback", "")),
            }
            for o in q.get("options", [])
        ]
        right = sum(o["correct"] for o in options)
        if kind not in {"single", "multiple"} or right == 0 or (kind == "single" and right != 1):
            raise CurriculumError(f"{path}: question {number} has a bad kind or correct options")
        questions.append({"kind": kind, "prompt": str(q["prompt"]), "options": options})
    return questions


def _load_check(lesson: Lesson, questions: list[dict], report: LoadReport, label: str) -> None:
    current = check_as_data(lesson)
    # A check written or changed on the site (no hash, or a different one) is kept.
    if current and check_hash(current) != lesson.check_loaded_hash:
        report.count("kept", f"{label} (check)")
        return
    if current == questions:
        report.count("unchanged", f"{label} (check)")
        if not lesson.check_loaded_hash:
            lesson.check_loaded_hash = check_hash(questions)
            lesson.save(update_fields=["check_loaded_hash"])
        return
    replace_check(lesson, questions)
    lesson.check_loaded_hash = check_hash(questions)
    lesson.save(update_fields=["check_loaded_hash"])
    report.count("updated" if current else "created", f"{label} (check)")


def _lesson_text_values(meta: dict, body: str) -> dict:
    return {
        "title": str(meta["title"]),
        "body": body,
        "objectives": [str(o) for o in meta.get("objectives", [])],
        "references": [str(r) for r in meta.get("references", [])],
        "reflection_prompt": str(meta.get("reflection", "") or ""),
    }


def load_module(directory: Path, report: LoadReport) -> Module:
    order, _name = _ordered(directory)
    meta, intro = read_document(directory / "module.md")
    module = Module.objects.filter(slug=meta["slug"]).first() or Module(
        slug=meta["slug"], is_published=True
    )
    structure = {
        "order": order,
        "school_levels": list(meta.get("school_levels", [])),
        "alt_types": list(meta.get("alt_types", [])),
        "first_weeks": bool(meta.get("first_weeks", False)),
        "estimated_minutes": int(meta.get("estimated_minutes", 0)),
    }
    apply_loaded(module, structure, report, f"{meta['slug']} (settings)", counted=False)
    values = {
        "title": str(meta["title"]),
        "summary": str(meta["summary"]).strip(),
        "intro": intro,
        "objectives": [str(o) for o in meta.get("objectives", [])],
    }
    en = ModuleText.objects.filter(module=module, language="en").first()
    apply_loaded(en or ModuleText(module=module, language="en"), values, report, module.slug)
    if ja := meta.get("ja"):
        ja_values = {
            "title": str(ja["title"]),
            "summary": str(ja["summary"]).strip(),
            "intro": str(ja.get("intro", "")),
            "objectives": [str(o) for o in ja.get("objectives", [])],
        }
        text = ModuleText.objects.filter(module=module, language="ja").first()
        apply_loaded(
            text or ModuleText(module=module, language="ja"), ja_values, report, module.slug
        )

    for path in sorted(directory.glob("[0-9]*.md")):
        if path.name.endswith(".ja.md"):
            continue
        load_lesson(module, path, report)
    return module


def load_lesson(module: Module, path: Path, report: LoadReport) -> Lesson:
    order, _name = _ordered(path)
    meta, body = read_document(path)
    label = f"{module.slug}/{meta['slug']}"
    lesson = Lesson.objects.filter(module=module, slug=meta["slug"]).first() or Lesson(
        module=module, slug=meta["slug"], is_published=True
    )
    check = meta.get("check") or {}
    structure = {
        "order": order,
        "estimated_minutes": int(meta.get("estimated_minutes", 0)),
        "pass_mark": check.get("pass_mark"),
    }
    apply_loaded(lesson, structure, report, f"{label} (settings)", counted=False)
    for language, source in (("en", path), ("ja", path.with_suffix(".ja.md"))):
        if not source.exists():
            continue
        text_meta, text_body = (meta, body) if source == path else read_document(source)
        text = LessonText.objects.filter(lesson=lesson, language=language).first()
        apply_loaded(
            text or LessonText(lesson=lesson, language=language),
            _lesson_text_values(text_meta, text_body),
            report,
            f"{label} [{language}]",
        )
    _load_check(lesson, normalise_check(check, path), report, label)
    for text in lesson.texts.all():
        ensure_revision(
            text,
            kind=Revision.Kind.IMPORT,
            summary=f"Imported from content/modules/{path.parent.name}/{path.name}",
        )
    return lesson


@transaction.atomic
def load_curriculum(root: Path) -> LoadReport:
    report = LoadReport()
    directories = sorted(p for p in root.iterdir() if p.is_dir() and (p / "module.md").exists())
    for directory in directories:
        load_module(directory, report)
    return report
