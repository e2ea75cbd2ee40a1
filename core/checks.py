"""System checks of our own, run by `manage.py check` (and `check --deploy`)."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def secret_key_from_environment(app_configs, **kwargs) -> list[Error]:
    """Production must take its SECRET_KEY from the environment, never the per-process fallback."""
    if settings.SECRET_KEY_FROM_ENVIRONMENT:
        return []
    return [
        Error(
            "SECRET_KEY is not set in the environment.",
            hint="Set SECRET_KEY to a long random value kept secret (for example from a secrets store).",
            id="core.E001",
        )
    ]
