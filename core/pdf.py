"""PDFs from print templates, rendered by WeasyPrint with no access to anything but our static files.

Print templates (`templates/pdf/`) refer to stylesheets and images by their static path, relative
(`css/print.css`) or absolute (`/static/css/print.css`). They are resolved against a made-up origin
under the reserved `.invalid` domain and served from the static finders; every other URL (the
network, `file://`, `data:`, anything outside the static directories) is refused, so a PDF can never
be used to read the server's files or to make it call another machine.
"""

import logging
import mimetypes
import posixpath
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

#: The origin print templates are resolved against. `.invalid` never resolves (RFC 2606).
PDF_ORIGIN = "https://static.invalid"


class PdfResourceRefused(ValueError):
    """A print template asked for something that is not one of our static files."""


def _static_prefix() -> str:
    """The path part of STATIC_URL, such as `/static/`."""
    path = urlsplit(settings.STATIC_URL).path
    return "/" + path.strip("/") + "/"


def pdf_base_url() -> str:
    """The base URL relative references in print templates are resolved against."""
    return urljoin(PDF_ORIGIN, _static_prefix())


def static_file_for(url: str) -> Path:
    """The static file a print template's URL points to, or `PdfResourceRefused`."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != PDF_ORIGIN:
        raise PdfResourceRefused(f"Only static files can be used in a PDF, not {url}")
    path = unquote(parts.path)
    prefix = _static_prefix()
    if not path.startswith(prefix):
        raise PdfResourceRefused(f"Only static files can be used in a PDF, not {url}")
    relative = path.removeprefix(prefix)
    # Refuse anything that is not a plain path inside the static directories.
    if (
        not relative
        or "\\" in relative
        or "\x00" in relative
        or posixpath.normpath(relative) != relative
        or relative.startswith(("/", ".."))
    ):
        raise PdfResourceRefused(f"Not a static file: {url}")
    try:
        found = finders.find(relative)
    except SuspiciousFileOperation as error:
        raise PdfResourceRefused(f"Not a static file: {url}") from error
    if not found:
        raise PdfResourceRefused(f"No such static file: {url}")
    return Path(found)


class StaticFilesURLFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves our static files and refuses everything else.

    WeasyPrint catches the refusal, logs it and leaves the resource out, so a bad reference costs an
    image or a stylesheet, never the PDF. `refused` keeps the URLs refused, for logs and tests.
    """

    def __init__(self):
        super().__init__(allowed_protocols=("https",), allow_redirects=False, fail_on_errors=False)
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        try:
            path = static_file_for(url)
        except PdfResourceRefused:
            self.refused.append(url)
            logger.warning("Refused to fetch %r for a PDF", url[:200])
            raise
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})


def html_to_pdf(html: str, *, url_fetcher: StaticFilesURLFetcher | None = None) -> bytes:
    """Render an HTML document to PDF bytes, fetching only static files."""
    document = weasyprint.HTML(
        string=html, base_url=pdf_base_url(), url_fetcher=url_fetcher or StaticFilesURLFetcher()
    )
    return document.write_pdf()


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a print template (usually under `templates/pdf/`) to PDF bytes."""
    return html_to_pdf(render_to_string(template_name, context))
