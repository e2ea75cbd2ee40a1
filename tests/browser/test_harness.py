def test_public_accessibility_statement_page_is_accessible(journey):
    page = journey.goto("/accessibility/")

    assert page.title() == "Accessibility statement – Scope for Growth – NHS"
    assert page.locator("h1").inner_text() == "Accessibility statement for Scope for Growth"
    journey.check_accessibility()
