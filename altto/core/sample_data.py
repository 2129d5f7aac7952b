"""A small sample community so that a fresh site has people in it. The members have no
password: they cannot log in, they only make the site look lived in."""

from django.contrib.auth.models import Group

from altto.accounts.models import AltType, SchoolLevel, User
from altto.accounts.roles import BLOG_EDITOR, EDITOR, MODERATOR

SAMPLE_MEMBERS = [
    {
        "username": "sam_new_alt",
        "display_name": "Sam (sample)",
        "alt_type": AltType.JET,
        "prefecture": 38,
        "school_levels": [SchoolLevel.JHS],
        "years_in_japan": 0,
        "bio": "First-year JET at two junior high schools in Ehime. Still learning names!",
        "roles": [],
    },
    {
        "username": "priya_alt",
        "display_name": "Priya (sample)",
        "alt_type": AltType.DISPATCH,
        "prefecture": 11,
        "school_levels": [SchoolLevel.ES, SchoolLevel.JHS],
        "years_in_japan": 6,
        "bio": "Six years with elementary and junior high students. I edit the *Young learners* "
        "module.",
        "roles": [EDITOR],
    },
    {
        "username": "kenji_jte",
        "display_name": "Kenji (sample)",
        "alt_type": AltType.JTE_HRT,
        "prefecture": 27,
        "school_levels": [SchoolLevel.SHS],
        "years_in_japan": 40,
        "bio": "High school English teacher. 日本語でも質問どうぞ。",
        "roles": [],
    },
    {
        "username": "morgan_mod",
        "display_name": "Morgan (sample)",
        "alt_type": AltType.DIRECT,
        "prefecture": 1,
        "school_levels": [SchoolLevel.ES],
        "years_in_japan": 9,
        "bio": "Direct hire in Hokkaido. I help keep the forum kind.",
        "roles": [MODERATOR],
    },
    {
        "username": "aisha_shs",
        "display_name": "Aisha (sample)",
        "alt_type": AltType.JET,
        "prefecture": 40,
        "school_levels": [SchoolLevel.SHS],
        "years_in_japan": 3,
        "bio": "Third-year JET at an academic high school in Fukuoka. I coach the speech team.",
        "roles": [],
    },
    {
        "username": "tom_dispatch",
        "display_name": "Tom (sample)",
        "alt_type": AltType.DISPATCH,
        "prefecture": 23,
        "school_levels": [SchoolLevel.ES, SchoolLevel.JHS],
        "years_in_japan": 2,
        "bio": "Dispatch ALT in Aichi: four elementary schools and one junior high.",
        "roles": [],
    },
    {
        "username": "lucia_es",
        "display_name": "Lucía (sample)",
        "alt_type": AltType.DIRECT,
        "prefecture": 20,
        "school_levels": [SchoolLevel.ES],
        "years_in_japan": 4,
        "bio": "Direct hire by a town board of education in Nagano. Phonics nerd.",
        "roles": [],
    },
    {
        "username": "dan_inaka",
        "display_name": "Dan (sample)",
        "alt_type": AltType.JET,
        "prefecture": 5,
        "school_levels": [SchoolLevel.ES, SchoolLevel.JHS],
        "years_in_japan": 2,
        "bio": "Rural Akita: one junior high, three tiny elementary schools, a lot of snow.",
        "roles": [],
    },
    {
        "username": "mei_alt",
        "display_name": "Mei (sample)",
        "alt_type": AltType.OTHER,
        "prefecture": 47,
        "school_levels": [SchoolLevel.ES],
        "years_in_japan": 1,
        "bio": "Part-time ALT in Okinawa through a private language school contract.",
        "roles": [],
    },
    {
        "username": "yuki_hrt",
        "display_name": "Yuki (sample)",
        "alt_type": AltType.JTE_HRT,
        "prefecture": 26,
        "school_levels": [SchoolLevel.ES],
        "years_in_japan": 35,
        "bio": "Elementary homeroom teacher in Kyoto (5th grade). 英語は勉強中です。",
        "roles": [],
    },
    {
        "username": "grace_veteran",
        "display_name": "Grace (sample)",
        "alt_type": AltType.DIRECT,
        "prefecture": 34,
        "school_levels": [SchoolLevel.JHS, SchoolLevel.SHS],
        "years_in_japan": 15,
        "bio": "Fifteen years as an ALT (JET, dispatch, now direct hire) in Hiroshima. "
        "Ask me about contracts.",
        "roles": [],
    },
    {
        "username": "olu_jet",
        "display_name": "Olu (sample)",
        "alt_type": AltType.JET,
        "prefecture": 15,
        "school_levels": [SchoolLevel.SHS],
        "years_in_japan": 1,
        "bio": "First-year JET at a vocational high school in Niigata.",
        "roles": [],
    },
    {
        "username": "hana_editor",
        "display_name": "Hana (sample)",
        "alt_type": AltType.DISPATCH,
        "prefecture": 13,
        "school_levels": [SchoolLevel.JHS],
        "years_in_japan": 7,
        "bio": "Former ALT in Tokyo, now a teacher trainer. I edit the ALTTO blog: pitch me!",
        "roles": [BLOG_EDITOR],
    },
]


def load_sample_community() -> int:
    """Create the sample members that are missing; return how many were created."""
    created = 0
    for data in SAMPLE_MEMBERS:
        fields = {k: v for k, v in data.items() if k not in {"username", "roles"}}
        user, was_created = User.objects.get_or_create(
            username=data["username"],
            defaults={**fields, "email": f"{data['username']}@example.org"},
        )
        if was_created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            for role in data["roles"]:
                user.groups.add(Group.objects.get(name=role))
            created += 1
    return created
