from django.shortcuts import redirect
from django.urls import reverse

from accounts.roles import requires_mfa

# allauth asks for the password again before setting up an app, so that page must stay reachable.
_ALLOWED_PREFIXES = ("/account/2fa/", "/account/reauthenticate/", "/account/logout/", "/static/", "/healthz")


class RequireMfaForPrivilegedRolesMiddleware:
    """Send talent leads and administrators to authenticator set-up until they have one.

    They see nothing else until MFA is on, because they can see data about many people.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and requires_mfa(user)
            and not _has_totp(user)
        ):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


def _has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
