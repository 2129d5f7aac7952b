"""A long lesson in two versions, for `make bench` to time the compare page on."""

from django.core.management.base import BaseCommand
from django.db import transaction

from altto.courses.models import Lesson, LessonText, Module, ModuleText
from altto.revisions import actions
from altto.revisions.models import Revision

SENTENCES = [
    "Before class, ask your JTE what the students studied last week and which words were hard.",
    "Agree on who gives the instructions, and who walks around the room to help.",
    "Keep your classroom English short, slow and the same from one lesson to the next.",
    "A warm-up that students already know lets everyone start the lesson with a small success.",
    "Write the goal of the activity on the board so that students can see why it matters.",
    "When a game runs long, cut it; the JTE may need the last ten minutes for the textbook.",
    "After class, spend two minutes with your JTE on what worked and what to change next time.",
    "Students who are quiet in front of forty classmates often talk more in pairs or small groups.",
    "Learn the names of a few students each week, starting with those who sit near the back.",
    "Bring spare copies of every worksheet, because somebody is always absent or lost theirs.",
]


def long_body(edited: bool = False) -> str:
    """About 2,000 words of Markdown. The edited version changes words, drops sentences and
    adds sentences in scattered paragraphs, the way a real edit does."""
    blocks = []
    for n in range(32):
        if n % 8 == 0:
            blocks.append(f"## Part {n // 8 + 1}")
        sentences = [SENTENCES[(n + k) % len(SENTENCES)] for k in range(4)]
        if edited and n % 6 == 2:
            sentences[1] = sentences[1].replace("the", "each", 1)
        if edited and n % 9 == 4:
            del sentences[2]
        if edited and n % 11 == 7:
            sentences.append("Write down what worked, and share it with the next ALT.")
        blocks.append(" ".join(sentences))
    return "\n\n".join(blocks) + "\n"


class Command(BaseCommand):
    help = "Create (once) a published module 'bench' with a 2,000-word lesson in two versions."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        module, _created = Module.objects.get_or_create(
            slug="bench", defaults={"order": 999, "is_published": True, "estimated_minutes": 20}
        )
        ModuleText.objects.get_or_create(
            module=module,
            language="en",
            defaults={"title": "Benchmark", "summary": "A long lesson for `make bench`."},
        )
        lesson, _created = Lesson.objects.get_or_create(
            module=module, slug="long", defaults={"is_published": True, "estimated_minutes": 10}
        )
        text = LessonText.objects.filter(lesson=lesson, language="en").first()
        if text is None:
            text = LessonText.objects.create(
                lesson=lesson,
                language="en",
                title="A long lesson",
                body=long_body(),
                objectives=["Plan a lesson with a JTE", "Run a warm-up"],
                references=["MEXT. *Course of Study* (2017)."],
            )
        text.lesson = lesson
        if actions.revisions_of(text).count() >= 2:
            self.stdout.write("Bench lesson: already there.")
            return
        if actions.head(text) is None:
            actions.record_revision(text, kind=Revision.Kind.IMPORT, summary="Bench lesson")
        actions.record_revision(
            text,
            kind=Revision.Kind.EDIT,
            summary="Scattered edits",
            data={**text.revision_data(), "body": long_body(edited=True)},
        )
        self.stdout.write(f"Bench lesson: {text.word_count} words, 2 versions.")
