import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

NONCE = re.compile(r"'nonce-([A-Za-z0-9+/_=-]+)'")


class _PageParts(HTMLParser):
    """Collects the attributes of every script and style element, and any inline style attributes."""

    def __init__(self):
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []
        self.script_bodies: list[str] = []
        self.style_elements = 0
        self.style_attributes = 0
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "style" in attributes:
            self.style_attributes += 1
        if tag == "script":
            self.scripts.append(attributes)
            self.script_bodies.append("")
            self._in_script = True
        elif tag == "style":
            self.style_elements += 1

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.script_bodies[-1] += data


def _parse(response) -> _PageParts:
    parts = _PageParts()
    parts.feed(response.content.decode())
    return parts


def _policy(response) -> dict[str, list[str]]:
    directives = [directive.split() for directive in response["Content-Security-Policy"].split(";")]
    return {name: values for name, *values in directives}


@pytest.fixture(params=["signed-in home page", "accessibility statement", "sign-in page"])
def page(request, client, individual):
    if request.param == "signed-in home page":
        client.force_login(individual)
        return client.get(reverse("core:home"))
    if request.param == "accessibility statement":
        return client.get(reverse("core:accessibility"))
    return client.get(reverse("account_login"))


def test_content_security_policy_is_strict_with_a_script_nonce(page):
    assert page.status_code == 200
    policy = _policy(page)
    nonce = NONCE.search(page["Content-Security-Policy"]).group(1)

    assert policy == {
        "default-src": ["'self'"],
        "script-src": ["'self'", f"'nonce-{nonce}'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "https://assets.nhs.uk"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
    }
    assert "unsafe-inline" not in page["Content-Security-Policy"]
    assert "unsafe-eval" not in page["Content-Security-Policy"]
    assert len(nonce) >= 16


def test_every_script_carries_the_nonce_from_the_header(page):
    nonce = NONCE.search(page["Content-Security-Policy"]).group(1)
    parts = _parse(page)

    js_enabled = [
        script
        for script, body in zip(parts.scripts, parts.script_bodies, strict=True)
        if "js-enabled" in body
    ]
    modules = [script for script in parts.scripts if script.get("type") == "module"]
    assert len(js_enabled) == 1
    assert js_enabled[0]["nonce"] == nonce
    assert modules == [{"type": "module", "src": "/static/js/app.mjs", "nonce": nonce}]
    assert [script.get("nonce") for script in parts.scripts] == [nonce] * len(parts.scripts)


def test_pages_use_no_inline_styles_the_policy_would_block(page):
    parts = _parse(page)

    assert parts.style_elements == 0
    assert parts.style_attributes == 0


def test_each_response_gets_a_fresh_nonce(client):
    first = client.get(reverse("core:accessibility"))
    second = client.get(reverse("core:accessibility"))

    assert NONCE.search(first["Content-Security-Policy"]).group(1) != NONCE.search(
        second["Content-Security-Policy"]
    ).group(1)


def test_security_headers_are_set(page):
    assert page["X-Frame-Options"] == "DENY"
    assert page["Referrer-Policy"] == "same-origin"
    assert page["X-Content-Type-Options"] == "nosniff"
    assert page["Cross-Origin-Opener-Policy"] == "same-origin"
