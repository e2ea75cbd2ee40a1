"""The form for uploading NHS Staff Survey results: it checks the file; `reporting.survey` reads the rows."""

from core.csv_upload import CsvUploadForm


class SurveyImportForm(CsvUploadForm):
    """A CSV file of organisations' Staff Survey scores."""
