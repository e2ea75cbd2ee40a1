"""Published figures are shown with thousands separators; suppressed cells and words are left alone."""

import pytest

from reporting.templatetags.reporting_tables import figure


@pytest.mark.parametrize(
    ("value", "shown"),
    [("2335", "2,335"), ("1500000", "1,500,000"), ("35", "35"), ("0", "0"), ("*", "*"), ("16.5%", "16.5%")],
)
def test_figures_get_thousands_separators(value, shown):
    assert figure(value) == shown


def test_words_are_left_as_they_are():
    assert figure("Not shown") == "Not shown"
    assert figure("385 of 2,335") == "385 of 2,335"
