"""Forms for people and their accounts.

First the equality monitoring form and the admin's user and role assignment forms; then django-allauth
forms with NHS.UK labels, hints and error messages.

allauth's own wording ("The email address and/or password you specified are not correct.") does not
follow the NHS content style, so each form below rewrites its errors by error code and sets labels
and hints. They are wired in through ``ACCOUNT_FORMS`` and ``MFA_FORMS`` in the settings.
"""

from dataclasses import dataclass

from allauth.account import forms as account_forms
from allauth.mfa.base import forms as mfa_base_forms
from allauth.mfa.totp import forms as totp_forms
from crispy_forms.layout import Layout
from django import forms
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import Promise

from accounts.models import RoleAssignment, Scope, StaffProfile, User
from accounts.roles import requires_mfa
from accounts.services import EQUALITY_CHOICES, self_declared_choices
from core.forms import Field, NhsukFormHelper, Size, Submit

# --- Equality monitoring and the admin ------------------------------------------------------------


@dataclass(frozen=True)
class EqualityQuestion:
    """One equality monitoring question: its wording on the form, its summary label and its error."""

    text: str
    summary_label: str
    error: str
    hint: str = ""


#: The questions in the order they are asked. Each is answered with radios that include "Prefer not to say".
EQUALITY_QUESTIONS = {
    "ethnic_category": EqualityQuestion(
        text="What is your ethnic group?",
        summary_label="Ethnic group",
        error="Select your ethnic group, or 'Prefer not to say'",
        hint="Choose the option that best describes your ethnic group or background.",
    ),
    "sex": EqualityQuestion(
        text="What is your sex?",
        summary_label="Sex",
        error="Select your sex, or 'Prefer not to say'",
    ),
    "gender_identity": EqualityQuestion(
        text="Which of these best describes your gender identity?",
        summary_label="Gender identity",
        error="Select your gender identity, or 'Prefer not to say'",
    ),
    "gender_same_as_birth": EqualityQuestion(
        text="Is your gender identity the same as the sex you were registered at birth?",
        summary_label="Gender identity the same as sex registered at birth",
        error="Select whether your gender identity is the same as the sex you were registered at birth, "
        "or 'Prefer not to say'",
    ),
    "sexual_orientation": EqualityQuestion(
        text="Which of these best describes your sexual orientation?",
        summary_label="Sexual orientation",
        error="Select your sexual orientation, or 'Prefer not to say'",
    ),
    "religion_group": EqualityQuestion(
        text="What is your religion or belief?",
        summary_label="Religion or belief",
        error="Select your religion or belief, or 'Prefer not to say'",
    ),
    "disability": EqualityQuestion(
        text="Do you consider yourself to have a disability or long-term health condition?",
        summary_label="Disability or long-term health condition",
        error="Select whether you have a disability or long-term health condition, or 'Prefer not to say'",
        hint="The Equality Act 2010 says you're disabled if you have a physical or mental impairment that "
        "has a substantial and long-term negative effect on your ability to do normal daily activities.",
    ),
    "age_band": EqualityQuestion(
        text="What is your age?",
        summary_label="Age",
        error="Select your age group, or 'Prefer not to say'",
    ),
}


class EqualityProfileForm(forms.Form):
    """A person's own equality monitoring answers.

    Every question offers "Prefer not to say". "Not known" is never offered: it is what the service
    records for a question nobody has answered. A value outside the list (a tampered form) is an error.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, question in EQUALITY_QUESTIONS.items():
            self.fields[name] = forms.ChoiceField(
                label=question.text,
                help_text=question.hint,
                choices=self_declared_choices(name),
                widget=forms.RadioSelect,
                error_messages={"required": question.error, "invalid_choice": question.error},
            )
        self.helper = NhsukFormHelper(self)
        self.helper.layout = Layout(
            *(Field.radios(name, legend_size=Size.MEDIUM) for name in EQUALITY_QUESTIONS),
            Submit("Save your answers"),
        )

    @staticmethod
    def initial_from(profile) -> dict[str, str]:
        """The person's current answers, leaving unanswered ("Not known") questions unselected."""
        if profile is None:
            return {}
        initial = {}
        for name in EQUALITY_QUESTIONS:
            value = getattr(profile, name)
            if value != EQUALITY_CHOICES[name].NOT_KNOWN:
                initial[name] = value
        return initial


def _normalised_email(form: forms.ModelForm) -> str:
    """Email addresses are stored in lower case and are unique whatever their case."""
    email = form.cleaned_data["email"].strip().lower()
    others = User.objects.filter(email__iexact=email)
    if form.instance.pk is not None:
        others = others.exclude(pk=form.instance.pk)
    if others.exists():
        raise ValidationError("Enter an email address that no one else uses", code="unique")
    return email


class UserAdminCreationForm(AdminUserCreationForm):
    """The admin's add-user form for a user model that signs in with an email address."""

    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("email", "first_name", "last_name")
        field_classes = {}

    def clean_email(self) -> str:
        return _normalised_email(self)


class UserAdminChangeForm(UserChangeForm):
    """The admin's change-user form; the password is changed through the linked password form."""

    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"
        field_classes = {}

    def clean_email(self) -> str:
        return _normalised_email(self)


# For each scope, the one target field it needs; the other target fields stay empty.
_SCOPE_TARGETS = {
    Scope.NATIONAL: None,
    Scope.REGION: "region",
    Scope.ICS: "integrated_care_system",
    Scope.ORGANISATION: "organisation",
}
_TARGET_ERRORS = {
    "region": "Select the region",
    "integrated_care_system": "Select the integrated care system",
    "organisation": "Select the organisation",
}


class RoleAssignmentAdminForm(forms.ModelForm):
    """A role assignment whose target matches its scope, with an end date no earlier than its start."""

    class Meta:
        model = RoleAssignment
        fields = (
            "user",
            "role",
            "scope",
            "region",
            "integrated_care_system",
            "organisation",
            "valid_from",
            "valid_to",
        )

    def clean(self):
        cleaned_data = super().clean()
        scope = cleaned_data.get("scope")
        if scope in _SCOPE_TARGETS:
            needed = _SCOPE_TARGETS[scope]
            for field_name, missing_error in _TARGET_ERRORS.items():
                value = cleaned_data.get(field_name)
                if field_name == needed and value is None:
                    self.add_error(field_name, missing_error)
                elif field_name != needed and value is not None:
                    scope_label = Scope(scope).label.lower()
                    self.add_error(field_name, f"Leave this empty for a role with {scope_label} scope")
        valid_from, valid_to = cleaned_data.get("valid_from"), cleaned_data.get("valid_to")
        if valid_from and valid_to and valid_to < valid_from:
            self.add_error("valid_to", "End date must be the same as or after the start date")
        return cleaned_data


# --- django-allauth -------------------------------------------------------------------------------
EMAIL_REQUIRED = "Enter your email address"
EMAIL_INVALID = "Enter an email address in the correct format, like name@example.com"
SIGN_IN_FAILED = "Enter a correct email address and password"
TOO_MANY_ATTEMPTS = "You have tried too many times. Wait 5 minutes, then try again."
CODE_REQUIRED = "Enter the 6-digit code from your authenticator app"
CODE_INCORRECT = "Enter a correct 6-digit code"
SIGN_IN_CODE_INCORRECT = "Enter a correct 6-digit code or recovery code"
HINT_FOR_NEW_PASSWORDS = (
    "Must be 12 characters or more. Do not use a common password, only numbers, "
    "or anything like your name or email address."
)

# Messages shared by every form, keyed by the error code that allauth or Django attaches.
_COMMON_MESSAGES = {
    "too_many_login_attempts": TOO_MANY_ATTEMPTS,
    "rate_limited": TOO_MANY_ATTEMPTS,
    "password_too_short": "Password must be 12 characters or more",
    "password_too_common": "Enter a password that is harder to guess. This one is too common",
    "password_entirely_numeric": "Password must include letters or symbols, not only numbers",
    "password_too_similar": "Password must not be similar to your name or email address",
    "password_mismatch": "Enter the same password in both boxes",
}

# allauth adds this error as a plain string without a code.
_UNCODED_MESSAGES = {"You must type the same password each time.": "password_mismatch"}


class NhsErrorMessagesMixin:
    """Replace error messages by error code, so allauth's wording never reaches the page."""

    error_message_overrides: dict[str, str] = {}

    def add_error(self, field, error):
        super().add_error(field, self._reword(error))

    def _reword(self, error):
        if isinstance(error, str | Promise):
            error = ValidationError(error, code=_UNCODED_MESSAGES.get(str(error)))
        if not isinstance(error, ValidationError) or hasattr(error, "error_dict"):
            return error
        messages = {**_COMMON_MESSAGES, **self.error_message_overrides}
        reworded = []
        for item in error.error_list:
            if item.code in messages:
                reworded.append(ValidationError(messages[item.code], code=item.code))
            else:
                reworded.append(item)
        return ValidationError(reworded)


def _style_email(field: forms.Field, *, label: str = "Email address") -> None:
    field.label = label
    field.error_messages = {**field.error_messages, "required": EMAIL_REQUIRED, "invalid": EMAIL_INVALID}
    field.widget.attrs.pop("placeholder", None)
    field.widget.attrs.update({"autocomplete": "email", "spellcheck": "false"})


def _style_password(field: forms.Field, *, label: str, required: str, hint: str = "") -> None:
    field.label = label
    field.help_text = hint
    field.error_messages = {**field.error_messages, "required": required}
    field.widget.attrs.pop("placeholder", None)


def _style_code(field: forms.Field, *, label: str, hint: str = "") -> None:
    field.label = label
    field.help_text = hint
    field.error_messages = {**field.error_messages, "required": CODE_REQUIRED}
    field.widget.attrs.pop("placeholder", None)
    field.widget.attrs.update(
        {
            "autocomplete": "one-time-code",
            "inputmode": "numeric",
            "spellcheck": "false",
            "class": "nhsuk-input--width-10 nhsuk-input--code",
        }
    )


def _without_spaces(code: str) -> str:
    """People often copy codes with spaces ("123 456"), which the apps show for readability."""
    return "".join(code.split())


class SignInForm(NhsErrorMessagesMixin, account_forms.LoginForm):
    """Sign in with email address and password. Unknown email and wrong password read the same."""

    error_message_overrides = {"email_password_mismatch": SIGN_IN_FAILED}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style_email(self.fields["login"])
        _style_password(self.fields["password"], label="Password", required="Enter your password")

    def add_error(self, field, error):
        # A failed sign-in belongs next to the email address, so the error summary can link to it.
        if field is None:
            field = "login"
        super().add_error(field, error)


class ResetPasswordForm(NhsErrorMessagesMixin, account_forms.ResetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style_email(self.fields["email"])


class ResetPasswordKeyForm(NhsErrorMessagesMixin, account_forms.ResetPasswordKeyForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style_password(
            self.fields["password1"],
            label="New password",
            required="Enter a new password",
            hint=HINT_FOR_NEW_PASSWORDS,
        )
        _style_password(
            self.fields["password2"], label="Confirm new password", required="Confirm your new password"
        )


class ChangePasswordForm(NhsErrorMessagesMixin, account_forms.ChangePasswordForm):
    error_message_overrides = {"enter_current_password": "Enter your current password correctly"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style_password(
            self.fields["oldpassword"], label="Current password", required="Enter your current password"
        )
        _style_password(
            self.fields["password1"],
            label="New password",
            required="Enter a new password",
            hint=HINT_FOR_NEW_PASSWORDS,
        )
        _style_password(
            self.fields["password2"], label="Confirm new password", required="Confirm your new password"
        )


class SetPasswordForm(NhsErrorMessagesMixin, account_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style_password(
            self.fields["password1"],
            label="Password",
            required="Enter a password",
            hint=HINT_FOR_NEW_PASSWORDS,
        )
        _style_password(self.fields["password2"], label="Confirm password", required="Confirm your password")


class ReauthenticateForm(NhsErrorMessagesMixin, account_forms.ReauthenticateForm):
    error_message_overrides = {"incorrect_password": "Enter your password correctly"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style_password(self.fields["password"], label="Password", required="Enter your password")


class AuthenticateForm(NhsErrorMessagesMixin, mfa_base_forms.AuthenticateForm):
    """The second step of signing in: a code from the app, or one of the recovery codes."""

    error_message_overrides = {"incorrect_code": SIGN_IN_CODE_INCORRECT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style_code(
            self.fields["code"],
            label="Enter the 6-digit code from your authenticator app",
            hint="If you cannot use your app, enter one of your 8-digit recovery codes instead.",
        )

    def clean_code(self) -> str:
        self.cleaned_data["code"] = _without_spaces(self.cleaned_data["code"])
        return super().clean_code()


class ReauthenticateWithCodeForm(NhsErrorMessagesMixin, mfa_base_forms.ReauthenticateForm):
    error_message_overrides = {"incorrect_code": SIGN_IN_CODE_INCORRECT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style_code(
            self.fields["code"],
            label="Enter the 6-digit code from your authenticator app",
            hint="If you cannot use your app, enter one of your 8-digit recovery codes instead.",
        )

    def clean_code(self) -> str:
        self.cleaned_data["code"] = _without_spaces(self.cleaned_data["code"])
        return super().clean_code()


class ActivateTOTPForm(NhsErrorMessagesMixin, totp_forms.ActivateTOTPForm):
    """Set up an authenticator app by confirming a code generated from the new secret."""

    error_message_overrides = {"incorrect_code": CODE_INCORRECT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style_code(self.fields["code"], label=CODE_REQUIRED, hint="For example, 123456")

    @property
    def is_required_by_role(self) -> bool:
        """Talent leads and administrators cannot use the service until they have set up an app."""
        return requires_mfa(self.user)

    def clean_code(self) -> str:
        self.cleaned_data["code"] = _without_spaces(self.cleaned_data["code"])
        return super().clean_code()


class DeactivateTOTPForm(NhsErrorMessagesMixin, totp_forms.DeactivateTOTPForm):
    error_message_overrides = {"cannot_delete_authenticator": "You cannot remove your authenticator app"}

    @property
    def is_required_by_role(self) -> bool:
        return requires_mfa(self.authenticator.user)


class StaffProfileAdminForm(forms.ModelForm):
    """Keeps `line_manager_since` true when an administrator moves someone to a new manager.

    A new manager's view of older records depends on that date (conversations/selectors.py).
    """

    class Meta:
        model = StaffProfile
        fields = (
            "user",
            "organisation",
            "job_title",
            "pay_band",
            "staff_group",
            "line_manager",
            "line_manager_since",
            "esr_assignment_number",
            "is_active",
        )

    def clean(self):
        cleaned_data = super().clean()
        if "line_manager" in self.changed_data and "line_manager_since" not in self.changed_data:
            cleaned_data["line_manager_since"] = (
                timezone.localdate() if cleaned_data.get("line_manager") else None
            )
        return cleaned_data
