"""Template filters and tags for the `nhsuk` crispy-forms template pack and the error summary."""

import copy
from dataclasses import dataclass

from django import forms, template

from core.forms import DateInputWidget

register = template.Library()

# Controls whose NHS.UK component has an error modifier class (`nhsuk-input--error`...).
CONTROL_CLASSES_WITH_ERROR_STATE = ("nhsuk-input", "nhsuk-textarea", "nhsuk-select")
DEFAULT_TEXTAREA_ROWS = 5


@register.filter
def is_radios(field):
    """Radios: a single choice from a list."""
    return isinstance(field.field.widget, forms.RadioSelect) and not is_checkboxes(field)


@register.filter
def is_checkboxes(field):
    """Checkboxes: several choices from a list."""
    return isinstance(field.field.widget, forms.CheckboxSelectMultiple)


@register.filter
def is_checkbox(field):
    """A single checkbox, for a yes/no (BooleanField) answer."""
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def is_date(field):
    """A three-part date input."""
    return isinstance(field.field.widget, DateInputWidget)


@register.filter
def is_file(field):
    """A file upload."""
    return isinstance(field.field.widget, forms.FileInput)


@register.filter
def control_id(field):
    """The id of the field's control, or of its first input (radios, checkboxes, date): `id_<name>`."""
    return field.field.widget.attrs.get("id") or field.auto_id


@register.filter
def described_by(field, item=""):
    """The `aria-describedby` value for the field's hint and error message, or "".

    `field|described_by:"item"` gives the value for a single checkbox, whose hint belongs to the item.
    """
    id_ = control_id(field)
    if not id_:
        return ""
    ids = []
    if field.help_text and not item:
        ids.append(f"{id_}-hint")
    if field.errors:
        ids.append(f"{id_}-error")
    if field.help_text and item:
        ids.append(f"{id_}-item-hint")
    return " ".join(ids)


@dataclass(frozen=True)
class ChoiceItem:
    """One radio or checkbox."""

    id: str
    value: str
    label: str
    is_checked: bool


@register.filter
def choice_items(field):
    """The radios or checkboxes of a choice field. The first gets the field's id, so the error summary
    link focuses it; the others get `<id>-2`, `<id>-3`... A blank choice is left out of radios."""
    id_ = control_id(field)
    items = []
    for subwidget in field.subwidgets:
        value = "" if subwidget.data["value"] is None else str(subwidget.data["value"])
        if value == "" and is_radios(field):
            continue
        number = len(items) + 1
        items.append(
            ChoiceItem(
                id=id_ if number == 1 else f"{id_}-{number}",
                value=value,
                label=subwidget.choice_label,
                is_checked=subwidget.data["selected"],
            )
        )
    return items


def _control_class(widget):
    if isinstance(widget, forms.Textarea):
        return "nhsuk-textarea"
    if isinstance(widget, forms.Select):
        return "nhsuk-select"
    if isinstance(widget, forms.FileInput):
        return "nhsuk-file-upload__input"
    if isinstance(widget, DateInputWidget):
        return ""  # the widget classes its own three inputs
    return "nhsuk-input"


@register.simple_tag
def nhsuk_widget(field, extra_class="", rows=None):
    """Render the field's control with NHS.UK classes, `aria-describedby` and no `maxlength`.

    Everything else comes from the widget as Django renders it (type, name, value, `autocomplete`,
    `required`, and `aria-invalid` when the field has errors).
    """
    widget = copy.copy(field.field.widget)
    widget.attrs = {name: value for name, value in widget.attrs.items() if name != "maxlength"}
    control_class = _control_class(widget)
    classes = [control_class, extra_class, widget.attrs.get("class", "")]
    if field.errors and control_class in CONTROL_CLASSES_WITH_ERROR_STATE:
        classes.append(f"{control_class}--error")
    attrs = {}
    if class_names := " ".join(name for name in classes if name):
        attrs["class"] = class_names
    if not widget.use_fieldset:
        described = " ".join(
            ids for ids in (widget.attrs.get("aria-describedby"), described_by(field)) if ids
        )
        if described:
            attrs["aria-describedby"] = described
    if isinstance(widget, forms.Textarea):
        widget.attrs.pop("cols", None)
        # Django's own default is the string "10"; anything else was chosen by the form's author.
        widget_rows = widget.attrs.get("rows")
        attrs["rows"] = rows or (widget_rows if widget_rows != "10" else DEFAULT_TEXTAREA_ROWS)
    return field.as_widget(widget=widget, attrs=attrs)


@register.simple_tag(takes_context=True)
def nhsuk_input(context, input_object):
    """Render a button added with `helper.add_input(...)`."""
    return input_object.render(context.get("form"), context, template_pack="nhsuk")


@dataclass(frozen=True)
class ErrorSummaryItem:
    """One line of the error summary: the message and the id of the control it links to."""

    text: str
    href: str


@register.filter
def error_summary_items(form):
    """The error summary's list for a form: its non-field errors, then the first error of each field in
    form order, each linking to the field's control (non-field errors link to the first field)."""
    fields = list(form)
    first_visible = next((field for field in fields if not field.is_hidden), None)
    first_id = control_id(first_visible) if first_visible else ""
    items = [
        ErrorSummaryItem(text=error, href=f"#{first_id}" if first_id else "")
        for error in form.non_field_errors()
    ]
    for field in fields:
        if field.errors:
            id_ = "" if field.is_hidden else control_id(field)
            items.append(ErrorSummaryItem(text=field.errors[0], href=f"#{id_}" if id_ else ""))
    return items
