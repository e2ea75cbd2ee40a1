"""The `nhsuk` crispy-forms pack against the official NHS.UK markup.

Each component is rendered by the pack for a small Django form and compared with the matching
nhsuk-frontend-jinja macro given the same parameters, so a frontend bump shows up here.
"""

import datetime
import re

import pytest
from allauth.account.forms import LoginForm
from crispy_forms import layout as crispy_layout
from crispy_forms.layout import HTML, Div, Layout
from crispy_forms.utils import render_crispy_form
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template, engines
from django.template.loader import render_to_string
from django.urls import reverse
from jinja2 import ChainableUndefined, Environment, PackageLoader
from markupsafe import Markup
from pytest_django.asserts import assertHTMLEqual, assertInHTML

from core.forms import (
    Button,
    ButtonGroup,
    DateInputField,
    Field,
    Fieldset,
    Fluid,
    NhsukFormHelper,
    Size,
    Submit,
)

JINJA = Environment(
    loader=PackageLoader("nhsuk_frontend_jinja"), undefined=ChainableUndefined, autoescape=True
)

HINT = "Give as much detail as you can"
HINT_AND_ERROR = [
    pytest.param(False, False, id="plain"),
    pytest.param(True, False, id="hint"),
    pytest.param(False, True, id="error"),
    pytest.param(True, True, id="hint-and-error"),
]


def nhsuk_reference(component, params):
    """The official markup: the nhsuk-frontend-jinja macro for `component` rendered with `params`."""
    macro = re.sub(r"-(\w)", lambda match: match.group(1).upper(), component)
    source = (
        f'{{% from "nhsuk/components/{component}/macro.jinja" import {macro} %}}{{{{ {macro}(params) }}}}'
    )
    return JINJA.from_string(source).render(params=params)


def django_attributes(*, required=False, invalid=False):
    """The attributes Django necessarily adds to a control, for the reference's `attributes` param.

    `BoundField.build_widget_attrs` adds `required` to the control of a required field and
    `aria-invalid="true"` to the control of a field with errors. Neither changes the NHS.UK markup,
    so the reference gets them too rather than the comparison ignoring them. This is the only
    normalisation the comparisons need.
    """
    attributes = {}
    if required:
        attributes["required"] = {"value": True, "optional": True}
    if invalid:
        attributes["aria-invalid"] = "true"
    return attributes


def example_form(name, field, *, data=None, files=None, initial=None):
    """An instance of a form with the one field `name`; bound to `data` (and `files`) when given."""
    form_class = type("ExampleForm", (forms.Form,), {name: field})
    return form_class(data=data, files=files, initial=initial)


def render_pack(form, *layout_objects, **helper_options):
    """`{% crispy form %}` without the <form> tag, with the given layout (default: every field)."""
    helper = NhsukFormHelper(form, **helper_options)
    helper.form_tag = False
    helper.disable_csrf = True
    if layout_objects:
        helper.layout = Layout(*layout_objects)
    return render_crispy_form(form, helper)


def render_filter(form):
    """`{{ form|crispy }}`, as used for django-allauth's forms."""
    return Template("{% load crispy_forms_tags %}{{ form|crispy }}").render(Context({"form": form}))


def hint_and_error_params(id_, *, has_hint, error):
    params = {}
    if has_hint:
        params["hint"] = {"text": HINT, "id": f"{id_}-hint"}
    if error:
        params["errorMessage"] = {"text": error, "id": f"{id_}-error"}
    return params


def bind(has_error, value_data):
    """Form data: empty, so the required field fails, or the valid `value_data`."""
    return {} if has_error else value_data


# Text, email, number and password inputs


@pytest.mark.parametrize(("has_hint", "has_error"), HINT_AND_ERROR)
def test_text_input_matches_nhsuk_input(has_hint, has_error):
    field = forms.CharField(
        label="Full name",
        help_text=HINT if has_hint else "",
        max_length=100,
        error_messages={"required": "Enter your full name"},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    form = example_form("full_name", field, data=bind(has_error, {"full_name": "Ada Lovelace"}))
    form.is_valid()

    html = render_pack(form, Field.text("full_name", label_size=Size.MEDIUM, width=20))

    error = "Enter your full name" if has_error else None
    expected = nhsuk_reference(
        "input",
        {
            "name": "full_name",
            "id": "id_full_name",
            "label": {"text": "Full name", "size": "m"},
            "value": None if has_error else "Ada Lovelace",
            "width": 20,
            "autocomplete": "name",
            "attributes": django_attributes(required=True, invalid=has_error),
            **hint_and_error_params("id_full_name", has_hint=has_hint, error=error),
        },
    )
    assertHTMLEqual(html, expected)


@pytest.mark.parametrize(("has_hint", "has_error"), HINT_AND_ERROR)
def test_email_input_matches_nhsuk_input(has_hint, has_error):
    field = forms.EmailField(
        label="Email address",
        help_text=HINT if has_hint else "",
        error_messages={"required": "Enter your email address"},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    form = example_form("email", field, data=bind(has_error, {"email": "ada@example.com"}))
    form.is_valid()

    html = render_filter(form)

    error = "Enter your email address" if has_error else None
    expected = nhsuk_reference(
        "input",
        {
            "name": "email",
            "id": "id_email",
            "type": "email",
            "label": "Email address",
            "value": None if has_error else "ada@example.com",
            "autocomplete": "email",
            "spellcheck": False,
            "attributes": django_attributes(required=True, invalid=has_error),
            **hint_and_error_params("id_email", has_hint=has_hint, error=error),
        },
    )
    assertHTMLEqual(html, expected)


@pytest.mark.parametrize(("has_hint", "has_error"), HINT_AND_ERROR)
def test_number_input_matches_nhsuk_input(has_hint, has_error):
    field = forms.IntegerField(
        label="Years in post",
        help_text=HINT if has_hint else "",
        error_messages={"required": "Enter how many years you have been in post"},
    )
    form = example_form("years", field, data=bind(has_error, {"years": "3"}))
    form.is_valid()

    html = render_pack(form, Field.text("years", width=3))

    error = "Enter how many years you have been in post" if has_error else None
    expected = nhsuk_reference(
        "input",
        {
            "name": "years",
            "id": "id_years",
            "type": "number",
            "label": "Years in post",
            "value": None if has_error else "3",
            "width": 3,
            "attributes": django_attributes(required=True, invalid=has_error),
            **hint_and_error_params("id_years", has_hint=has_hint, error=error),
        },
    )
    assertHTMLEqual(html, expected)


@pytest.mark.parametrize(("has_hint", "has_error"), HINT_AND_ERROR)
def test_password_input_matches_nhsuk_input(has_hint, has_error):
    field = forms.CharField(
        label="Password",
        help_text=HINT if has_hint else "",
        error_messages={"required": "Enter your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    form = example_form("password", field, data=bind(has_error, {"password": "secret"}))
    form.is_valid()

    html = render_filter(form)

    error = "Enter your password" if has_error else None
    expected = nhsuk_reference(
        "input",
        {
            "name": "password",
            "id": "id_password",
            "type": "password",
            "label": "Password",
            "autocomplete": "current-password",
            "attributes": django_attributes(required=True, invalid=has_error),
            **hint_and_error_params("id_password", has_hint=has_hint, error=error),
        },
    )
    assertHTMLEqual(html, expected)


def test_page_heading_label_wraps_the_label_in_h1():
    form = example_form("full_name", forms.CharField(label="What is your full name?"))

    html = render_pack(form, Field.text("full_name", is_page_heading=True))

    expected = nhsuk_reference(
        "input",
        {
            "name": "full_name",
            "id": "id_full_name",
            "label": {"text": "What is your full name?", "isPageHeading": True, "size": "l"},
            "attributes": django_attributes(required=True),
        },
    )
    assertHTMLEqual(html, expected)


@pytest.mark.parametrize(
    ("width", "classes"),
    [
        (2, "nhsuk-input--width-2"),
        (30, "nhsuk-input--width-30"),
        (Fluid.ONE_HALF, "nhsuk-u-width-one-half"),
        (Fluid.FULL, "nhsuk-u-width-full"),
    ],
)
def test_input_width_adds_the_width_class(width, classes):
    form = example_form("code", forms.CharField(label="Code"))

    html = render_pack(form, Field.text("code", width=width))

    expected = nhsuk_reference(
        "input",
        {
            "name": "code",
            "id": "id_code",
            "label": "Code",
            "classes": classes,
            "attributes": django_attributes(required=True),
        },
    )
    assertHTMLEqual(html, expected)


@pytest.mark.parametrize("width", [1, 15, "half", "50%"])
def test_unknown_input_width_is_refused(width):
    with pytest.raises(ValueError, match="Width must be one of"):
        Field.text("code", width=width)


def test_unknown_label_size_is_refused():
    with pytest.raises(ValueError, match="Size must be one of"):
        Field.text("code", label_size="huge")


# Textarea and select


@pytest.mark.parametrize(("has_hint", "has_error"), HINT_AND_ERROR)
def test_textarea_matches_nhsuk_textarea(has_hint, has_error):
    field = forms.CharField(
        label="What went well?",
        help_text=HINT if has_hint else "",
        max_length=2000,
        error_messages={"required": "Enter what went well"},
        widget=forms.Textarea,
    )
    form = example_form("went_well", field, data=bind(has_error, {"went_well": "Clinic <ran> on time"}))
    form.is_valid()

    html = render_pack(form, Field.textarea("went_well", label_size=Size.SMALL))

    error = "Enter what went well" if has_error else None
    expected = nhsuk_reference(
        "textarea",
        {
            "name": "went_well",
            "id": "id_went_well",
            "label": {"text": "What went well?", "size": "s"},
            **({} if has_error else {"value": "Clinic <ran> on time"}),
            "attributes": django_attributes(required=True, invalid=has_error),
            **hint_and_error_params("id_went_well", has_hint=has_hint, error=error),
        },
    )
    assertHTMLEqual(html, expected)


def test_textarea_rows_come_from_the_layout_then_the_widget():
    form_class = type(
        "NotesForm",
        (forms.Form,),
        {
            "short": forms.CharField(label="Short", widget=forms.Textarea(attrs={"rows": 3})),
            "long": forms.CharField(label="Long", widget=forms.Textarea),
        },
    )
    form = form_class()

    html = render_pack(form, "short", Field.textarea("long", rows=12))

    expected = nhsuk_reference(
        "textarea",
        {
            "name": "short",
            "id": "id_short",
            "label": "Short",
            "rows": 3,
            "attributes": django_attributes(required=True),
        },
    ) + nhsuk_reference(
        "textarea",
        {
            "name": "long",
            "id": "id_long",
            "label": "Long",
            "rows": 12,
            "attributes": django_attributes(required=True),
        },
    )
    assertHTMLEqual(html, expected)


REGIONS = [("", "Select a region"), ("north", "North East and Yorkshire"), ("london", "London")]


@pytest.mark.parametrize(("has_hint", "has_error"), HINT_AND_ERROR)
def test_select_matches_nhsuk_select(has_hint, has_error):
    field = forms.ChoiceField(
        label="Region",
        help_text=HINT if has_hint else "",
        choices=REGIONS,
        error_messages={"required": "Select your region"},
    )
    form = example_form("region", field, data=bind(has_error, {"region": "london"}))
    form.is_valid()

    html = render_pack(form, Field.select("region"))

    error = "Select your region" if has_error else None
    expected = nhsuk_reference(
        "select",
        {
            "name": "region",
            "id": "id_region",
            "label": "Region",
            "items": [
                # Django selects the blank first option when there is no value, as a browser would.
                {"value": value, "text": text, "selected": value == ("" if has_error else "london")}
                for value, text in REGIONS
            ],
            "attributes": django_attributes(required=True, invalid=has_error),
            **hint_and_error_params("id_region", has_hint=has_hint, error=error),
        },
    )
    assertHTMLEqual(html, expected)


# Radios and checkboxes

BANDS = [("5", "Band 5"), ("6", "Band 6"), ("7", "Band 7")]


@pytest.mark.parametrize(("has_hint", "has_error"), HINT_AND_ERROR)
def test_radios_match_nhsuk_radios(has_hint, has_error):
    field = forms.ChoiceField(
        label="What is your band?",
        help_text=HINT if has_hint else "",
        choices=BANDS,
        widget=forms.RadioSelect,
        error_messages={"required": "Select your band"},
    )
    form = example_form("band", field, data=bind(has_error, {"band": "6"}))
    form.is_valid()

    html = render_pack(form, Field.radios("band", legend_size=Size.MEDIUM, inline=True))

    error = "Select your band" if has_error else None
    expected = nhsuk_reference(
        "radios",
        {
            "name": "band",
            "idPrefix": "id_band",
            "fieldset": {"legend": {"text": "What is your band?", "size": "m"}},
            "inline": True,
            "items": [{"value": value, "text": text} for value, text in BANDS],
            "value": None if has_error else "6",
            **hint_and_error_params("id_band", has_hint=has_hint, error=error),
        },
    )
    assertHTMLEqual(html, expected)


def test_radios_leave_out_a_blank_choice_and_can_be_the_page_heading():
    field = forms.ChoiceField(
        label="Are you a line manager?", choices=[("", "---"), ("yes", "Yes"), ("no", "No")]
    )
    field.widget = forms.RadioSelect(choices=field.choices)
    form = example_form("is_manager", field, initial={"is_manager": "no"})

    html = render_pack(form, Field.radios("is_manager", is_page_heading=True, small=True))

    expected = nhsuk_reference(
        "radios",
        {
            "name": "is_manager",
            "idPrefix": "id_is_manager",
            "fieldset": {"legend": {"text": "Are you a line manager?", "size": "l", "isPageHeading": True}},
            "small": True,
            "items": [{"value": "yes", "text": "Yes"}, {"value": "no", "text": "No"}],
            "value": "no",
        },
    )
    assertHTMLEqual(html, expected)


STREAMS = [("clinical", "Clinical"), ("leadership", "Leadership"), ("research", "Research")]


@pytest.mark.parametrize(("has_hint", "has_error"), HINT_AND_ERROR)
def test_checkboxes_match_nhsuk_checkboxes(has_hint, has_error):
    field = forms.MultipleChoiceField(
        label="Which development streams interest you?",
        help_text=HINT if has_hint else "",
        choices=STREAMS,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one development stream"},
    )
    form = example_form("streams", field, data=bind(has_error, {"streams": ["clinical", "research"]}))
    form.is_valid()

    html = render_pack(form, Field.checkboxes("streams", legend_size=Size.LARGE))

    error = "Select at least one development stream" if has_error else None
    expected = nhsuk_reference(
        "checkboxes",
        {
            "name": "streams",
            "idPrefix": "id_streams",
            "fieldset": {"legend": {"text": "Which development streams interest you?", "size": "l"}},
            "items": [{"value": value, "text": text} for value, text in STREAMS],
            "values": [] if has_error else ["clinical", "research"],
            **hint_and_error_params("id_streams", has_hint=has_hint, error=error),
        },
    )
    assertHTMLEqual(html, expected)


@pytest.mark.parametrize(("has_hint", "has_error"), HINT_AND_ERROR)
def test_single_checkbox_matches_nhsuk_checkboxes_without_fieldset(has_hint, has_error):
    field = forms.BooleanField(
        label="I agree to share this record with my line manager",
        help_text=HINT if has_hint else "",
        error_messages={"required": "Confirm that you agree to share this record"},
    )
    form = example_form("agrees", field, data=bind(has_error, {"agrees": "true"}))
    form.is_valid()

    html = render_filter(form)

    params = {
        "name": "agrees",
        "idPrefix": "id_agrees",
        "items": [
            {
                "value": "true",
                "text": "I agree to share this record with my line manager",
                "checked": not has_error,
                "hint": {"text": HINT} if has_hint else None,
            }
        ],
    }
    if has_error:
        params["errorMessage"] = {
            "text": "Confirm that you agree to share this record",
            "id": "id_agrees-error",
        }
    assertHTMLEqual(html, nhsuk_reference("checkboxes", params))


# Date input


@pytest.mark.parametrize(("has_hint", "has_error"), HINT_AND_ERROR)
def test_date_input_matches_nhsuk_date_input(has_hint, has_error):
    field = DateInputField(
        label="Date of the conversation",
        help_text=HINT if has_hint else "",
        error_messages={"required": "Enter the date of the conversation"},
    )
    # Unbound, the initial date fills the three boxes; bound to three empty boxes, the field is missing.
    data = {"held_on-day": "", "held_on-month": "", "held_on-year": ""} if has_error else None
    form = example_form("held_on", field, data=data, initial={"held_on": datetime.date(2026, 3, 5)})
    form.is_valid()

    html = render_pack(form, Field.date("held_on", legend_size=Size.MEDIUM))

    error = "Enter the date of the conversation" if has_error else None
    attributes = django_attributes(invalid=has_error)
    expected = nhsuk_reference(
        "date-input",
        {
            "fieldset": {"legend": {"text": "Date of the conversation", "size": "m"}},
            "items": [
                {
                    "id": "id_held_on",
                    "name": "held_on-day",
                    "label": "Day",
                    "width": 2,
                    "attributes": attributes,
                },
                {
                    "id": "id_held_on-month",
                    "name": "held_on-month",
                    "label": "Month",
                    "width": 2,
                    "attributes": attributes,
                },
                {
                    "id": "id_held_on-year",
                    "name": "held_on-year",
                    "label": "Year",
                    "width": 4,
                    "attributes": attributes,
                },
            ],
            "values": {} if has_error else {"held_on-day": "5", "held_on-month": "3", "held_on-year": "2026"},
            **hint_and_error_params("id_held_on", has_hint=has_hint, error=error),
        },
    )
    assertHTMLEqual(html, expected)


def test_date_input_redisplays_what_was_typed():
    form = example_form(
        "held_on",
        DateInputField(label="Date"),
        data={"held_on-day": "31", "held_on-month": "Feb", "held_on-year": "2026"},
    )
    assert not form.is_valid()

    html = render_pack(form, Field.date("held_on", is_page_heading=True))

    attributes = django_attributes(invalid=True)
    expected = nhsuk_reference(
        "date-input",
        {
            "fieldset": {"legend": {"text": "Date", "size": "l", "isPageHeading": True}},
            "items": [
                {
                    "id": "id_held_on",
                    "name": "held_on-day",
                    "label": "Day",
                    "value": "31",
                    "attributes": attributes,
                },
                {
                    "id": "id_held_on-month",
                    "name": "held_on-month",
                    "label": "Month",
                    "value": "Feb",
                    "attributes": attributes,
                },
                {
                    "id": "id_held_on-year",
                    "name": "held_on-year",
                    "label": "Year",
                    "width": 4,
                    "value": "2026",
                    "attributes": attributes,
                },
            ],
            "errorMessage": {"text": "Date must be a real date", "id": "id_held_on-error"},
        },
    )
    assertHTMLEqual(html, expected)


def date_form(day, month, year, **field_options):
    field = DateInputField(label="Date of the conversation", **field_options)
    return example_form(
        "held_on", field, data={"held_on-day": day, "held_on-month": month, "held_on-year": year}
    )


@pytest.mark.parametrize(
    ("day", "month", "year", "expected"),
    [
        ("5", "3", "2026", datetime.date(2026, 3, 5)),
        ("05", "03", "2026", datetime.date(2026, 3, 5)),
        (" 5 ", " 3 ", " 2026 ", datetime.date(2026, 3, 5)),
        ("29", "2", "2024", datetime.date(2024, 2, 29)),
        ("5", "March", "2026", datetime.date(2026, 3, 5)),
        ("5", "mar", "2026", datetime.date(2026, 3, 5)),
    ],
)
def test_date_field_returns_a_date(day, month, year, expected):
    form = date_form(day, month, year)

    assert form.is_valid()
    assert form.cleaned_data["held_on"] == expected


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "", "", "Enter the date"),
        ("", "3", "2026", "Date must include a day"),
        ("5", "", "2026", "Date must include a month"),
        ("5", "3", "", "Date must include a year"),
        ("", "", "2026", "Date must include a day and month"),
        ("5", "", "", "Date must include a month and year"),
        ("31", "2", "2026", "Date must be a real date"),
        ("29", "2", "2025", "Date must be a real date"),
        ("5", "13", "2026", "Date must be a real date"),
        ("0", "3", "2026", "Date must be a real date"),
        ("5", "0", "2026", "Date must be a real date"),
        ("five", "3", "2026", "Date must be a real date"),
        ("5", "Marchember", "2026", "Date must be a real date"),
        ("-5", "3", "2026", "Date must be a real date"),
        ("\u00b2", "3", "2026", "Date must be a real date"),
        ("5", "3", "0000", "Date must be a real date"),
        ("99999999999999999999", "3", "2026", "Date must be a real date"),
        ("5", "3", "26", "Year must include 4 numbers"),
        ("5", "3", "20266", "Year must include 4 numbers"),
    ],
)
def test_date_field_explains_what_is_wrong(day, month, year, message):
    form = date_form(day, month, year)

    assert not form.is_valid()
    assert form.errors == {"held_on": [message]}


def test_date_field_messages_can_name_the_date():
    error_messages = {
        "required": "Enter the date of the conversation",
        "incomplete": "Date of the conversation must include a %(missing)s",
        "invalid": "Date of the conversation must be a real date",
    }

    assert date_form("", "", "", error_messages=error_messages).errors == {
        "held_on": ["Enter the date of the conversation"]
    }
    assert date_form("5", "", "2026", error_messages=error_messages).errors == {
        "held_on": ["Date of the conversation must include a month"]
    }
    assert date_form("30", "2", "2026", error_messages=error_messages).errors == {
        "held_on": ["Date of the conversation must be a real date"]
    }


def test_optional_date_field_left_blank_is_none():
    form = date_form("", "", "", required=False)

    assert form.is_valid()
    assert form.cleaned_data["held_on"] is None


# File upload


@pytest.mark.parametrize(("has_hint", "has_error"), HINT_AND_ERROR)
def test_file_upload_matches_nhsuk_file_upload(has_hint, has_error):
    field = forms.FileField(
        label="Upload your CV",
        help_text=HINT if has_hint else "",
        error_messages={"required": "Select your CV"},
    )
    files = {} if has_error else {"cv": SimpleUploadedFile("cv.pdf", b"%PDF-1.7")}
    form = example_form("cv", field, data={}, files=files)
    form.is_valid()

    html = render_pack(form, Field.file("cv", accept=".pdf"))

    error = "Select your CV" if has_error else None
    expected = nhsuk_reference(
        "file-upload",
        {
            "name": "cv",
            "id": "id_cv",
            "label": "Upload your CV",
            "attributes": {"accept": ".pdf", **django_attributes(required=True, invalid=has_error)},
            **hint_and_error_params("id_cv", has_hint=has_hint, error=error),
        },
    )
    assertHTMLEqual(html, expected)


def test_form_with_a_file_upload_is_multipart():
    form = example_form("cv", forms.FileField(label="Upload your CV"))

    html = render_crispy_form(form, NhsukFormHelper(form))

    assert html.lstrip().startswith('<form method="post" novalidate enctype="multipart/form-data">')


# Buttons


@pytest.mark.parametrize(
    ("button", "params"),
    [
        pytest.param(Submit("Save and continue"), {"text": "Save and continue"}, id="primary"),
        pytest.param(
            Submit("Save as draft", name="action", value="draft", secondary=True),
            {"text": "Save as draft", "name": "action", "value": "draft", "variant": "secondary"},
            id="secondary",
        ),
        pytest.param(
            Submit("Submit application", prevent_double_click=True, css_id="submit-application"),
            {"text": "Submit application", "id": "submit-application", "preventDoubleClick": True},
            id="prevent-double-click",
        ),
        pytest.param(
            Button("Add another goal", secondary=True),
            {"text": "Add another goal", "type": "button", "variant": "secondary"},
            id="button",
        ),
        pytest.param(
            crispy_layout.Submit("save", "Save"),
            {"text": "Save", "name": "save", "id": "submit-id-save"},
            id="crispy-submit",
        ),
    ],
)
def test_button_matches_nhsuk_button(button, params):
    form = example_form("name", forms.CharField())

    html = render_pack(form, button)

    assertHTMLEqual(html, nhsuk_reference("button", params))


def test_button_group_puts_buttons_side_by_side():
    form = example_form("name", forms.CharField())

    html = render_pack(
        form, ButtonGroup(Submit("Save and continue"), Submit("Save as draft", secondary=True))
    )

    buttons = nhsuk_reference("button", {"text": "Save and continue"}) + nhsuk_reference(
        "button", {"text": "Save as draft", "variant": "secondary"}
    )
    assertHTMLEqual(html, f'<div class="nhsuk-button-group">{buttons}</div>')


def test_helper_inputs_render_after_the_fields():
    form = example_form("name", forms.CharField(label="Name"))
    helper = NhsukFormHelper(form)
    helper.disable_csrf = True
    helper.add_input(Submit("Continue"))

    html = render_crispy_form(form, helper)

    expected = (
        '<form method="post" novalidate>'
        + nhsuk_reference(
            "input",
            {
                "name": "name",
                "id": "id_name",
                "label": "Name",
                "attributes": django_attributes(required=True),
            },
        )
        + nhsuk_reference("button", {"text": "Continue"})
        + "</form>"
    )
    assertHTMLEqual(html, expected)


# Fieldset and helper


def test_fieldset_groups_fields_under_a_legend():
    form_class = type(
        "AddressForm",
        (forms.Form,),
        {
            "line_1": forms.CharField(label="Address line 1"),
            "postcode": forms.CharField(label="Postcode"),
        },
    )
    form = form_class()

    html = render_pack(
        form, Fieldset("line_1", Field.text("postcode", width=10), legend="Work address", legend_size="m")
    )

    inner = nhsuk_reference(
        "input",
        {
            "name": "line_1",
            "id": "id_line_1",
            "label": "Address line 1",
            "attributes": django_attributes(required=True),
        },
    ) + nhsuk_reference(
        "input",
        {
            "name": "postcode",
            "id": "id_postcode",
            "label": "Postcode",
            "width": 10,
            "attributes": django_attributes(required=True),
        },
    )
    expected = nhsuk_reference(
        "fieldset", {"legend": {"text": "Work address", "size": "m"}, "html": Markup(inner)}
    )
    assertHTMLEqual(html, expected)


def test_div_wraps_fields():
    form = example_form("name", forms.CharField(label="Name"))

    html = render_pack(form, Div("name", css_class="nhsuk-u-margin-bottom-6", css_id="names"))

    field = nhsuk_reference(
        "input",
        {"name": "name", "id": "id_name", "label": "Name", "attributes": django_attributes(required=True)},
    )
    assertHTMLEqual(html, f'<div id="names" class="nhsuk-u-margin-bottom-6">{field}</div>')


def test_helper_sizes_apply_to_every_field_unless_the_layout_says_otherwise():
    form_class = type(
        "SizesForm",
        (forms.Form,),
        {
            "first": forms.CharField(label="First"),
            "second": forms.CharField(label="Second"),
            "band": forms.ChoiceField(label="Band", choices=BANDS, widget=forms.RadioSelect),
        },
    )
    form = form_class()

    html = render_pack(
        form, "first", Field.text("second", label_size=Size.SMALL), "band", label_size="m", legend_size="l"
    )

    required = django_attributes(required=True)
    expected = (
        nhsuk_reference(
            "input",
            {
                "name": "first",
                "id": "id_first",
                "label": {"text": "First", "size": "m"},
                "attributes": required,
            },
        )
        + nhsuk_reference(
            "input",
            {
                "name": "second",
                "id": "id_second",
                "label": {"text": "Second", "size": "s"},
                "attributes": required,
            },
        )
        + nhsuk_reference(
            "radios",
            {
                "name": "band",
                "idPrefix": "id_band",
                "fieldset": {"legend": {"text": "Band", "size": "l"}},
                "items": [{"value": value, "text": text} for value, text in BANDS],
            },
        )
    )
    assertHTMLEqual(html, expected)


class SignInForm(forms.Form):
    email = forms.EmailField(label="Email address", widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    def clean(self):
        raise forms.ValidationError("The email address or password is not correct")


def test_helper_form_is_novalidate_and_leaves_non_field_errors_to_the_summary():
    form = SignInForm(data={"email": "ada@example.com"})
    assert not form.is_valid()
    helper = NhsukFormHelper(form)
    helper.form_action = "/sign-in/"
    helper.disable_csrf = True
    helper.layout = Layout(Field.text("email"), HTML("<p>Forgotten your password?</p>"))

    html = render_crispy_form(form, helper)

    expected = (
        '<form action="/sign-in/" method="post" novalidate>'
        + nhsuk_reference(
            "input",
            {
                "name": "email",
                "id": "id_email",
                "type": "email",
                "label": "Email address",
                "value": "ada@example.com",
                "autocomplete": "email",
                "attributes": django_attributes(required=True),
            },
        )
        + "<p>Forgotten your password?</p></form>"
    )
    assertHTMLEqual(html, expected)


def test_helper_can_show_non_field_errors_in_the_form():
    form = SignInForm(data={"email": "ada@example.com"})
    form.is_valid()
    helper = NhsukFormHelper(form)
    helper.form_tag = False
    helper.disable_csrf = True
    helper.show_non_field_errors = True

    html = render_crispy_form(form, helper)

    assertInHTML(
        '<span class="nhsuk-error-message"><span class="nhsuk-u-visually-hidden">Error: </span>'
        "The email address or password is not correct</span>",
        html,
    )


def test_hidden_fields_render_as_hidden_inputs():
    form = example_form("next", forms.CharField(widget=forms.HiddenInput), initial={"next": "/home/"})

    assertHTMLEqual(render_filter(form), '<input type="hidden" name="next" value="/home/" id="id_next">')


# No maxlength, autocomplete kept


@pytest.mark.parametrize(
    "field",
    [
        forms.CharField(max_length=10),
        forms.CharField(max_length=10, widget=forms.Textarea),
        forms.CharField(max_length=10, widget=forms.PasswordInput),
        forms.EmailField(max_length=50),
        forms.URLField(max_length=50),
        DateInputField(),
    ],
    ids=["text", "textarea", "password", "email", "url", "date"],
)
def test_no_widget_outputs_maxlength(field):
    form = example_form("answer", field, data={"answer": "x" * 20})
    form.is_valid()

    html = render_pack(form) + render_filter(form)

    assert "maxlength" not in html


def test_allauth_sign_in_form_renders_as_nhsuk_with_the_crispy_filter(rf):
    form = LoginForm(data={"login": "ada@example.com", "password": ""}, request=rf.post("/"))
    assert not form.is_valid()

    html = render_filter(form)

    reset_link = Markup('<a href="{}">Forgot your password?</a>').format(reverse("account_reset_password"))
    expected = nhsuk_reference(
        "input",
        {
            "name": "login",
            "id": "id_login",
            "type": "email",
            "label": "Email",
            "value": "ada@example.com",
            "autocomplete": "email",
            "placeholder": "Email address",
            "attributes": django_attributes(required=True),
        },
    ) + nhsuk_reference(
        "input",
        {
            "name": "password",
            "id": "id_password",
            "type": "password",
            "label": "Password",
            "hint": {"html": reset_link, "id": "id_password-hint"},
            "errorMessage": {"text": "This field is required.", "id": "id_password-error"},
            "autocomplete": "current-password",
            "placeholder": "Password",
            "attributes": django_attributes(required=True, invalid=True),
        },
    )
    assertHTMLEqual(html, expected)


# Error summary


class ConversationForm(forms.Form):
    held_on = DateInputField(
        label="Date of the conversation", error_messages={"required": "Enter the date of the conversation"}
    )
    stream = forms.ChoiceField(
        label="Development stream",
        choices=STREAMS,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a development stream"},
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea)
    summary = forms.CharField(label="Summary", min_length=10, error_messages={"required": "Enter a summary"})
    token = forms.CharField(widget=forms.HiddenInput, error_messages={"required": "Refresh the page"})

    def clean(self):
        raise forms.ValidationError("You cannot record a conversation for yourself")


def render_error_summary(form):
    return render_to_string("components/error_summary.html", {"form": form})


def test_error_summary_matches_nhsuk_error_summary():
    form = ConversationForm(data={"held_on-day": "5", "summary": "Short"})
    assert not form.is_valid()

    html = render_error_summary(form)

    expected = nhsuk_reference(
        "error-summary",
        {
            "titleText": "There is a problem",
            "errorList": [
                {"text": "You cannot record a conversation for yourself", "href": "#id_held_on"},
                {"text": "Date must include a month and year", "href": "#id_held_on"},
                {"text": "Select a development stream", "href": "#id_stream"},
                {"text": "Ensure this value has at least 10 characters (it has 5).", "href": "#id_summary"},
                {"text": "Refresh the page"},
            ],
        },
    )
    assertHTMLEqual(html, expected)


def test_error_summary_links_go_to_the_controls_they_name():
    form = ConversationForm(data={"held_on-day": "5", "summary": "Short"})
    form.is_valid()
    helper = NhsukFormHelper(form)
    html = render_crispy_form(form, helper)

    for href in re.findall(r'href="#([^"]+)"', render_error_summary(form)):
        assert f'id="{href}"' in html


def test_error_summary_is_empty_without_errors():
    assert render_error_summary(ConversationForm()).strip() == ""


def test_form_layout_puts_the_error_summary_above_the_heading_and_outside_the_form(rf):
    from django.contrib.auth.models import AnonymousUser

    form = ConversationForm(data={})
    form.helper = NhsukFormHelper(form)
    form.is_valid()
    request = rf.get("/")
    request.user = AnonymousUser()
    template = engines["django"].from_string(
        '{% extends "layouts/form.html" %}{% block page_title %}Record a conversation{% endblock %}'
        "{% block heading %}<h1>Record a conversation</h1>{% endblock %}"
    )

    html = template.render({"form": form}, request)

    assert "<title>Error: Record a conversation" in html
    summary = html.index('class="nhsuk-error-summary"')
    assert summary < html.index("<h1>Record a conversation</h1>") < html.index("<form")
    assert "nhsuk-error-summary" not in html[html.index("<form") : html.index("</form>")]
