import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context

from core.audit import audit
from core.models import AuditEvent


class AccountAdapter(DefaultAccountAdapter):
    """Sign-in rules for the service.

    Accounts are created by employers (ESR import, single sign-on or an administrator), so
    nobody can sign themselves up. Signing in and out is audited.
    """

    def is_open_for_signup(self, request) -> bool:
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Do not ask for the password again straight after someone has typed it to sign in.

        Talent leads and administrators are sent to set up an authenticator app as soon as they sign
        in; asking them for the password a second time there would only get in the way.
        """
        request = context.request
        if request is not None and request.user.is_authenticated:
            records = get_authentication_records(request, request.user)
            signed_in_at = max(
                (record["at"] for record in records if record.get("method") == "password"), default=0
            )
            if time.time() - signed_in_at < account_settings.REAUTHENTICATION_TIMEOUT:
                return False
        return super().is_reauthentication_required(app=app, **kwargs)

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
