from allauth.account.adapter import DefaultAccountAdapter

from core.audit import audit
from core.models import AuditEvent


class AccountAdapter(DefaultAccountAdapter):
    """Sign-in rules for the service.

    Accounts are created by employers (ESR import, single sign-on or an administrator), so
    nobody can sign themselves up. Signing in and out is audited.
    """

    def is_open_for_signup(self, request) -> bool:
        return False

    def login(self, request, user) -> None:
        super().login(request, user)
        audit(
            actor=user,
            action=AuditEvent.Action.SIGN_IN,
            verb="user_sign_in",
            instance=user,
            ip_address=self.get_client_ip(request),
        )

    def logout(self, request) -> None:
        user = request.user
        if user.is_authenticated:
            audit(
                actor=user,
                action=AuditEvent.Action.SIGN_OUT,
                verb="user_sign_out",
                instance=user,
                ip_address=self.get_client_ip(request),
            )
        super().logout(request)
