from allauth.account.auth_backends import AuthenticationBackend

from accounts.models import User


class EmailAuthenticationBackend(AuthenticationBackend):
    """allauth's email sign-in, without Django's database permission tables.

    Permissions come from `rules` predicates (accounts/rules.py), and system administrators are
    superusers, so the per-request permission-table queries would only ever find nothing.
    """

    def get_user(self, user_id):
        user = User.objects.select_related("staff_profile").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()
