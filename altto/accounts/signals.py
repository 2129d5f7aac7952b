from django.apps import apps
from django.contrib.auth.models import Group
from django.db.models.signals import post_migrate, post_save
from django.dispatch import receiver

from altto.accounts.models import User
from altto.accounts.roles import MEMBER, ensure_roles


@receiver(post_migrate)
def create_roles(sender, **kwargs) -> None:
    # Once per migrate run, after the last app: every app's permissions exist by then.
    if sender is list(apps.get_app_configs())[-1]:
        ensure_roles()


@receiver(post_save, sender=User)
def join_members(sender, instance: User, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        group, _created = Group.objects.get_or_create(name=MEMBER)
        instance.groups.add(group)
