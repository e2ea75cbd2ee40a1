"""Uploading a CSV file: the upload form and reading its rows safely, shared by every import.

Imports (HPS assessment results, NHS Staff Survey results) check each row themselves; this module only
makes sure the file is a readable CSV of a sensible size, with a clear message when it is not.
"""

import csv
import io
import itertools

from django import forms
from django.core.exceptions import ValidationError

from core.forms import Field, Layout, NhsukFormHelper, Size, Submit

MAX_BYTES = 1024 * 1024
TOO_LARGE = "The selected file must be smaller than 1 MB"
NOT_UTF8 = "The selected file must be saved as CSV UTF-8. Save it again from your spreadsheet as CSV UTF-8"
NOT_CSV = "The selected file could not be read as CSV. Save it again from your spreadsheet as CSV UTF-8"
EMPTY = "The selected file is empty"


def read_csv_rows(upload, *, max_rows: int) -> list[list[str]]:
    """The header and up to `max_rows + 1` rows as lists of cells (one more than allowed, so the caller
    can tell there are too many), or a ValidationError about the file as a whole."""
    upload.seek(0)
    content = upload.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise ValidationError(TOO_LARGE)
    try:
        # utf-8-sig: spreadsheets saving "CSV UTF-8" put a byte order mark first.
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(NOT_UTF8) from None
    if not text.strip():
        raise ValidationError(EMPTY)
    if "\x00" in text:
        # Spreadsheet text never holds a null character, and the database could not store one.
        raise ValidationError(NOT_CSV)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        return list(itertools.islice(reader, max_rows + 2))
    except csv.Error:
        raise ValidationError(NOT_CSV) from None


class CsvUploadForm(forms.Form):
    """One CSV file, checked for its name and size; the import reads and checks its rows."""

    file = forms.FileField(
        label="Upload a CSV file",
        help_text="Save it from your spreadsheet as CSV UTF-8. It must be smaller than 1 MB.",
        error_messages={
            "required": "Select a CSV file",
            "empty": EMPTY,
            "invalid": "Select a CSV file",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".csv,text/csv"
        self.helper = NhsukFormHelper(self, label_size=Size.MEDIUM)
        self.helper.layout = Layout(Field.file("file"), Submit("Check and import", prevent_double_click=True))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("The selected file must be a CSV")
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(TOO_LARGE)
        return upload
