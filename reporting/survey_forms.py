"""The form for uploading NHS Staff Survey results: it checks the file; `reporting.survey` reads the rows."""

from django import forms

from core.forms import Field, Layout, NhsukFormHelper, Size, Submit
from reporting.survey import MAX_BYTES, TOO_LARGE


class SurveyImportForm(forms.Form):
    """A CSV file of organisations' Staff Survey scores."""

    file = forms.FileField(
        label="Upload a CSV file",
        help_text="Save it from your spreadsheet as CSV UTF-8. It must be smaller than 1 MB.",
        error_messages={
            "required": "Select a CSV file",
            "empty": "The selected file is empty",
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
