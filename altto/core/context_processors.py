from django.conf import settings
from django.http import HttpRequest

from altto.accounts.roles import may
from altto.core.navigation import main_navigation


def site(request: HttpRequest) -> dict:
    return {"SITE_URL": settings.SITE_URL, "main_navigation": main_navigation()}


def work_queues(request: HttpRequest) -> dict:
    """Header links to the queues a signed-in member works on (editors: proposals;
    moderators: the forum queue, which links to reported comments; blog editors: the blog
    desk). Costs the member's
    roles, one query, shared with may()."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "can_review": may(user, "review_proposals"),
        "can_moderate": may(user, "see_reports"),
        "can_edit_blog": may(user, "edit_blog"),
    }
