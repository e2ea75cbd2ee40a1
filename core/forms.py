"""NHS.UK form building blocks: the crispy-forms helper and layout objects, and the date field.

The `nhsuk` template pack in `core/templates/nhsuk/` renders nhsuk-frontend 10.6.1 markup. Use it as::

    class ConversationForm(forms.Form):
        held_on = DateInputField(label="Date of conversation", help_text="For example, 15 3 2026")

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.helper = NhsukFormHelper(self)
            self.helper.layout = Layout(
                Field.date("held_on", legend_size=Size.MEDIUM),
                Submit("Save and continue"),
            )

(everything here importable from `core.forms`) and `{% crispy form %}` in a template extending
`layouts/form.html`. Plain forms (django-allauth's) get the same markup from `{{ form|crispy }}`.
"""

import calendar
import datetime

from crispy_forms import layout as crispy_layout
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Layout
from crispy_forms.utils import TEMPLATE_PACK
from django import forms
from django.core.exceptions import ValidationError
from django.template import Template
from django.template.loader import render_to_string

__all__ = [
    "HTML",
    "Button",
    "ButtonGroup",
    "DateInputField",
    "DateInputWidget",
    "Field",
    "Fieldset",
    "Fluid",
    "Layout",
    "NhsukFormHelper",
    "Size",
    "Submit",
]


class Size:
    """Label and legend sizes (`nhsuk-label--m`, `nhsuk-fieldset__legend--l`...)."""

    SMALL = "s"
    MEDIUM = "m"
    LARGE = "l"
    EXTRA_LARGE = "xl"

    ALL = (SMALL, MEDIUM, LARGE, EXTRA_LARGE)


class Fluid:
    """Fluid input widths, as fractions of the column (`nhsuk-u-width-two-thirds`...)."""

    FULL = "full"
    THREE_QUARTERS = "three-quarters"
    TWO_THIRDS = "two-thirds"
    ONE_HALF = "one-half"
    ONE_THIRD = "one-third"
    ONE_QUARTER = "one-quarter"

    ALL = (FULL, THREE_QUARTERS, TWO_THIRDS, ONE_HALF, ONE_THIRD, ONE_QUARTER)


#: Fixed input widths in characters (`nhsuk-input--width-10`...).
CHARACTER_WIDTHS = (2, 3, 4, 5, 10, 20, 30)


def _check_size(size):
    if size is not None and size not in Size.ALL:
        raise ValueError(f"Size must be one of {Size.ALL}, not {size!r}")
    return size


def input_width_class(width):
    """The class for a fixed (`10`) or fluid (`Fluid.ONE_HALF`) input width, or "" for no width."""
    if width is None:
        return ""
    if width in CHARACTER_WIDTHS:
        return f"nhsuk-input--width-{width}"
    if width in Fluid.ALL:
        return f"nhsuk-u-width-{width}"
    raise ValueError(f"Width must be one of {CHARACTER_WIDTHS} or {Fluid.ALL}, not {width!r}")


class NhsukFormHelper(FormHelper):
    """A FormHelper for the `nhsuk` pack.

    The `<form>` tag (on by default) always has `novalidate`, so the service's own NHS-style messages are
    shown instead of the browser's. Non-field errors are not rendered inside the form: the design system
    puts every error in the error summary above the page heading (`components/error_summary.html`).

    `label_size` and `legend_size` set the default size for every field; a layout `Field` overrides them.
    """

    def __init__(self, form=None, *, label_size=None, legend_size=None):
        super().__init__(form)
        # Instance attributes (not class ones) are what crispy copies into the template context.
        self.label_size = _check_size(label_size)
        self.legend_size = _check_size(legend_size)
        self.show_non_field_errors = False


class Field(crispy_layout.Field):
    """A form field, with the options of the NHS.UK component it renders as.

    The component is chosen from the widget (text input, textarea, select, radios, checkboxes, date input,
    file upload); the constructors named after components document which options apply to each. Any
    other keyword becomes an HTML attribute of the control, as in crispy-forms (`autocomplete="name"`).
    """

    def __init__(
        self,
        *fields,
        label_size=None,
        legend_size=None,
        is_page_heading=False,
        width=None,
        rows=None,
        inline=False,
        small=False,
        **kwargs,
    ):
        super().__init__(*fields, **kwargs)
        self.nhsuk_context = {
            "label_size": _check_size(label_size),
            "legend_size": _check_size(legend_size),
            "input_width_class": input_width_class(width),
            "rows": rows,
            "inline": inline,
            "small": small,
        }
        if is_page_heading:
            # A page heading label or legend wraps its text in the page's <h1>.
            self.nhsuk_context["is_page_heading"] = True
            self.nhsuk_context["label_size"] = self.nhsuk_context["label_size"] or Size.LARGE
            self.nhsuk_context["legend_size"] = self.nhsuk_context["legend_size"] or Size.LARGE

    def render(self, form, context, template_pack=TEMPLATE_PACK, extra_context=None, **kwargs):
        # Leave out unset options so the helper's defaults (label_size, legend_size) show through.
        options = {key: value for key, value in self.nhsuk_context.items() if value}
        return super().render(
            form, context, template_pack, extra_context={**options, **(extra_context or {})}, **kwargs
        )

    @classmethod
    def text(cls, name, *, label_size=None, is_page_heading=False, width=None, **attrs):
        """A text input (also email, number, password, telephone and URL inputs)."""
        return cls(name, label_size=label_size, is_page_heading=is_page_heading, width=width, **attrs)

    @classmethod
    def textarea(cls, name, *, label_size=None, is_page_heading=False, rows=None, **attrs):
        """A textarea; `rows` defaults to the widget's own `rows`, or 5."""
        return cls(name, label_size=label_size, is_page_heading=is_page_heading, rows=rows, **attrs)

    @classmethod
    def select(cls, name, *, label_size=None, is_page_heading=False, **attrs):
        """A select (drop-down list). The design system prefers radios for short lists."""
        return cls(name, label_size=label_size, is_page_heading=is_page_heading, **attrs)

    @classmethod
    def radios(cls, name, *, legend_size=None, is_page_heading=False, inline=False, small=False):
        """Radios in a fieldset whose legend is the field's label."""
        return cls(name, legend_size=legend_size, is_page_heading=is_page_heading, inline=inline, small=small)

    @classmethod
    def checkboxes(cls, name, *, legend_size=None, is_page_heading=False, small=False):
        """Checkboxes in a fieldset whose legend is the field's label (a single checkbox has no fieldset)."""
        return cls(name, legend_size=legend_size, is_page_heading=is_page_heading, small=small)

    @classmethod
    def date(cls, name, *, legend_size=None, is_page_heading=False):
        """A three-part date input (a `DateInputField`) in a fieldset whose legend is the field's label."""
        return cls(name, legend_size=legend_size, is_page_heading=is_page_heading)

    @classmethod
    def file(cls, name, *, label_size=None, is_page_heading=False, **attrs):
        """A file upload."""
        return cls(name, label_size=label_size, is_page_heading=is_page_heading, **attrs)


class Fieldset(crispy_layout.Fieldset):
    """A fieldset grouping several fields under one legend: `Fieldset("a", "b", legend="Address")`."""

    def __init__(self, *fields, legend, legend_size=None, is_page_heading=False, **kwargs):
        super().__init__(legend, *fields, **kwargs)
        self.legend_size = _check_size(legend_size) or (Size.LARGE if is_page_heading else None)
        self.is_page_heading = is_page_heading


class _NhsukButton(crispy_layout.BaseInput):
    input_type = "submit"
    template = "%s/layout/button.html"

    def __init__(
        self, text, *, name=None, value=None, secondary=False, prevent_double_click=False, css_id=None
    ):
        self.text = text
        self.name = name
        self.value = value
        self.variant = "secondary" if secondary else ""
        self.prevent_double_click = prevent_double_click
        self.id = css_id

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        text = Template(str(self.text)).render(context)
        return render_to_string(self.get_template_name(template_pack), {"button": self, "text": text})


class Submit(_NhsukButton):
    """A submit button: `Submit("Save and continue")`; `secondary=True` for the secondary variant.

    Give `name` and `value` when a form has more than one submit button, so the view can tell them apart.
    Add it to a layout or with `helper.add_input(...)`.
    """


class Button(_NhsukButton):
    """A button that does not submit the form (`type="button"`), for scripts to act on."""

    input_type = "button"


class ButtonGroup(crispy_layout.Div):
    """Buttons (and links) side by side with the design system's spacing: `ButtonGroup(Submit(...), ...)`."""

    css_class = "nhsuk-button-group"


MONTH_NAMES = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}


def _is_number(text):
    return text.isascii() and text.isdigit()


class DateInputWidget(forms.MultiWidget):
    """Day, month and year text inputs, named `<name>-day`, `<name>-month` and `<name>-year`.

    The day input gets the field's own id (`id_<name>`), so the error summary link focuses it; month and
    year get `id_<name>-month` and `id_<name>-year`. No `maxlength`: people see a message instead.
    """

    template_name = "nhsuk/widgets/date.html"
    parts = (("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4))

    def __init__(self, attrs=None):
        widgets = [forms.TextInput(attrs={"inputmode": "numeric"}) for _part in self.parts]
        super().__init__(widgets, attrs)
        self.widgets_names = [f"-{part}" for part, _label, _width in self.parts]

    def decompress(self, value):
        if value:
            return [value.day, value.month, value.year]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        id_ = context["widget"]["attrs"].get("id")
        has_error = context["widget"]["attrs"].get("aria-invalid") == "true"
        for subwidget, (part, label, width) in zip(context["widget"]["subwidgets"], self.parts, strict=True):
            classes = ["nhsuk-input", "nhsuk-date-input__input", f"nhsuk-input--width-{width}"]
            if has_error:
                classes.append("nhsuk-input--error")
            if subwidget["attrs"].get("class"):
                classes.append(subwidget["attrs"]["class"])
            subwidget["attrs"]["class"] = " ".join(classes)
            if id_:
                subwidget["attrs"]["id"] = id_ if part == "day" else f"{id_}-{part}"
            subwidget["label"] = label
            subwidget["has_error"] = has_error
        return context


class DateInputField(forms.MultiValueField):
    """A date entered in three boxes (day, month, year), cleaned to a `datetime.date`.

    Error messages follow the NHS pattern; override them per field, for example
    `error_messages={"required": "Enter the date of the conversation",
    "incomplete": "Date of conversation must include a %(missing)s",
    "invalid": "Date of conversation must be a real date"}`.
    Months may be typed as numbers or names ("3", "Mar", "March").
    """

    widget = DateInputWidget
    default_error_messages = {
        "required": "Enter the date",
        "incomplete": "Date must include a %(missing)s",
        "invalid": "Date must be a real date",
        "invalid_year": "Year must include 4 numbers",
    }

    def __init__(self, **kwargs):
        parts = [forms.CharField(required=False) for _part in DateInputWidget.parts]
        # The parts are not required one by one: compress() says which are missing in one message.
        super().__init__(fields=parts, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        day, month, year = (str(value).strip() for value in data_list)
        missing = [
            part
            for part, value in zip(("day", "month", "year"), (day, month, year), strict=True)
            if not value
        ]
        if missing:
            raise forms.ValidationError(
                self.error_messages["incomplete"],
                code="incomplete",
                params={"missing": " and ".join(missing)},
            )
        month_number = int(month) if _is_number(month) else MONTH_NAMES.get(month.lower())
        if not (_is_number(day) and month_number and _is_number(year)):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if len(year) != 4:
            raise forms.ValidationError(self.error_messages["invalid_year"], code="invalid_year")
        try:
            return datetime.date(int(year), month_number, int(day))
        except (ValueError, OverflowError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


def add_service_errors(
    form: forms.Form, error: ValidationError, *, aliases: dict[str, str] | None = None
) -> None:
    """Show a service's ValidationError on the form: on the field it names (or that field's alias on
    this form), otherwise in the error summary."""
    aliases = aliases or {}
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            target = aliases.get(name, name)
            for message in messages:
                form.add_error(target if target in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)
