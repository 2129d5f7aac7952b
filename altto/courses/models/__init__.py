from altto.courses.models.certificates import Certificate
from altto.courses.models.checks import Attempt, Option, Question
from altto.courses.models.content import Lesson, LessonText, Module, ModuleText
from altto.courses.models.images import LessonImage
from altto.courses.models.progress import LessonProgress, Reflection

__all__ = [
    "Attempt",
    "Certificate",
    "Lesson",
    "LessonImage",
    "LessonProgress",
    "LessonText",
    "Module",
    "ModuleText",
    "Option",
    "Question",
    "Reflection",
]
