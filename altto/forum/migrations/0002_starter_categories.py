"""The ten categories every ALTTO forum starts with (admins can rename and add more)."""

from django.db import migrations

CATEGORIES = [
    ("role-team-teaching", "Role & team teaching", "役割とティームティーチング",
     "Working with JTEs and homeroom teachers: who does what in the room.",
     "JTE・担任の先生との協力、授業の中での役割分担。"),
    ("lesson-ideas", "Lesson ideas", "授業のアイデア",
     "Activities, games and warm-ups that worked (or didn't).",
     "うまくいった（いかなかった）活動、ゲーム、ウォームアップ。"),
    ("classroom-management", "Classroom management", "クラス運営",
     "Noise, attention, mixed levels and students who won't speak.",
     "騒がしさ、集中、レベル差、話さない生徒への対応。"),
    ("grammar-language", "Grammar & language", "文法と言葉",
     "Explaining English, and the Japanese you need at school.",
     "英語の説明と、学校で必要な日本語。"),
    ("contests-clubs", "Contests & clubs", "コンテストと部活動",
     "Speech and recitation contests, English clubs, eiken interviews.",
     "スピーチ・暗唱コンテスト、英語部、英検の面接。"),
    ("school-life-etiquette", "School life & etiquette", "学校生活とマナー",
     "Staff rooms, enkai, indoor shoes and the unwritten rules.",
     "職員室、宴会、上履き、暗黙のルール。"),
    ("contracts-rights", "Contracts & rights", "契約と権利",
     "Pay, leave, insurance and who to ask. Not legal advice.",
     "給与、休暇、保険、相談先。法的助言ではありません。"),
    ("career-development", "Career & development", "キャリアと成長",
     "Qualifications, next steps and growing as a teacher.",
     "資格、次のステップ、教師としての成長。"),
    ("life-in-japan", "Life in Japan", "日本での生活",
     "Housing, health, money, transport and loneliness.",
     "住まい、健康、お金、交通、孤独。"),
    ("stories", "Stories", "体験談",
     "The good days and the hard ones. Tell us what happened.",
     "良い日もつらい日も。何があったか聞かせてください。"),
]  # fmt: skip


def add_categories(apps, schema_editor):
    Category = apps.get_model("forum", "Category")
    for position, (slug, name, name_ja, about, about_ja) in enumerate(CATEGORIES):
        Category.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "name_ja": name_ja,
                "description": about,
                "description_ja": about_ja,
                "position": position,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("forum", "0001_initial")]
    operations = [migrations.RunPython(add_categories, migrations.RunPython.noop)]
