from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by employers (ESR import, single sign-on or an administrator)."""

    def is_open_for_signup(self, request) -> bool:
        return False
