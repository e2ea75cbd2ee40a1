"""Every page needs a signed-in person unless it is on the public list below.

The URL patterns are read from the resolver, so a new view is covered the moment it is added.
"""

import re
import uuid
from dataclasses import dataclass
from itertools import product
from urllib.parse import quote

import pytest
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver, include, path, resolve
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils.regex_helper import normalize

# Pages anyone may see, by URL name, with the status and redirect an anonymous GET gets.
PUBLIC_PAGES = {
    "core:healthz": (200, None),
    "core:accessibility": (200, None),
    "core:privacy": (200, None),
    "account_login": (200, None),
    "account_signup": (200, None),
    "account_inactive": (200, None),
    "account_reset_password": (200, None),
    "account_reset_password_done": (200, None),
    "account_reset_password_from_key": (200, None),
    "account_reset_password_from_key_done": (200, None),
    "account_confirm_email": (200, None),
    "account_email_verification_sent": (200, None),
    # Steps of a sign-in that has not started, so they go back to its beginning.
    "account_logout": (302, "/account/login/"),
    "account_confirm_login_code": (302, "/account/login/"),
    "mfa_authenticate": (302, "/account/login/"),
    # The admin's password-only form is replaced by the service's sign-in, which asks for MFA.
    "admin:login": (302, "/account/login/?next=/admin/"),
}
SIGN_IN_PATH = "/account/login/"
ADMIN_SIGN_IN_PATH = "/admin/login/"
SAMPLE_VALUES = ["1", "abc", str(uuid.UUID(int=1))]


@dataclass(frozen=True)
class Page:
    name: str
    route: str
    path: str


def _walk(resolver: URLResolver, patterns=(), namespaces=()):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = (entry.namespace,) if entry.namespace else ()
            yield from _walk(entry, (*patterns, entry.pattern), (*namespaces, *namespace))
        elif isinstance(entry, URLPattern):
            name = (
                entry.name or f"(unnamed) {''.join(str(pattern) for pattern in (*patterns, entry.pattern))}"
            )
            yield (*patterns, entry.pattern), ":".join((*namespaces, name))


def _group_sources(regex: str) -> dict[str, str]:
    """The source of each named group, so `(?P<app>auth|core)` can be filled with `auth`."""
    sources = {}
    for start in re.finditer(r"\(\?P<(\w+)>", regex):
        depth, position = 1, start.end()
        while depth:
            character = regex[position]
            if character == "\\":
                position += 1
            elif character == "(":
                depth += 1
            elif character == ")":
                depth -= 1
            position += 1
        sources[start.group(1)] = regex[start.end() : position - 1]
    return sources


def _candidates(group_regex: str) -> list[str]:
    first_alternative = group_regex.split("|")[0]
    extra = [first_alternative] if re.fullmatch(r"[\w-]+", first_alternative) else []
    return [value for value in [*SAMPLE_VALUES, *extra] if re.fullmatch(group_regex, value)]


def _fill(pattern) -> str:
    if isinstance(pattern, RoutePattern):
        route = str(pattern)
        for name, converter in pattern.converters.items():
            values = _candidates(converter.regex)
            assert values, f"Add a sample value for the {type(converter).__name__} in {route!r}"
            route = re.sub(rf"<(?:\w+:)?{name}>", converter.to_url(converter.to_python(values[0])), route)
        return route
    assert isinstance(pattern, RegexPattern), f"Unknown pattern type {type(pattern).__name__}"
    regex = pattern.regex.pattern
    template, parameters = normalize(regex)[0]
    sources = _group_sources(regex)
    choices = [_candidates(sources[parameter]) for parameter in parameters]
    for values in product(*choices):
        piece = template % dict(zip(parameters, values, strict=True))
        if pattern.regex.fullmatch(piece) or (not regex.endswith("$") and pattern.regex.match(piece)):
            return piece
    raise AssertionError(f"Add a sample value that fits {regex!r}")


def _pages() -> list[Page]:
    pages = []
    for patterns, name in _walk(get_resolver()):
        route = "".join(str(pattern) for pattern in patterns)
        url = "/" + "".join(_fill(pattern) for pattern in patterns)
        pages.append(Page(name=name, route=route, path=url))
    return pages


PAGES = _pages()


def _without_anchors(route: str) -> str:
    return route.replace("^", "").replace("$", "")


def test_sample_urls_reach_the_pattern_they_were_built_from():
    for page in PAGES:
        assert _without_anchors(resolve(page.path).route) == _without_anchors(page.route), page


def test_public_list_names_only_pages_that_exist():
    assert set(PUBLIC_PAGES) <= {page.name for page in PAGES}


def _assert_anonymous_visit_is_allowed_or_sent_to_sign_in(client, page: Page) -> None:
    response = client.get(page.path)

    if page.name in PUBLIC_PAGES:
        assert (response.status_code, response.get("Location")) == PUBLIC_PAGES[page.name]
        return
    expected = f"{SIGN_IN_PATH}?next={quote(page.path, safe='/')}"
    assert response.status_code == 302, f"{page.name} answered {response.status_code} without sign-in"
    if page.name.startswith("admin:") and response["Location"].startswith(ADMIN_SIGN_IN_PATH):
        # Admin-wide views go through the admin's sign-in page, which hands over to the service's.
        assert response["Location"] == f"{ADMIN_SIGN_IN_PATH}?next={quote(page.path, safe='/')}"
        response = client.get(response["Location"])
        assert response.status_code == 302
    assert response["Location"] == expected


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES, ids=[f"{page.name} {page.path}" for page in PAGES])
def test_anonymous_visitors_are_sent_to_sign_in(client, page):
    _assert_anonymous_visit_is_allowed_or_sent_to_sign_in(client, page)


@login_not_required
def _view_that_forgot_sign_in(request, pk):
    return HttpResponse("Someone's personal details")


def _view_behind_sign_in(request, pk):
    return HttpResponse("Someone's personal details")


# Used as ROOT_URLCONF by the next test, to show that a newly added view is found and checked.
urlpatterns = [
    path("", include("config.urls")),
    path("records/<int:pk>/", _view_behind_sign_in, name="record_detail"),
    path("leaky/<uuid:pk>/", _view_that_forgot_sign_in, name="leaky_detail"),
]


@pytest.mark.django_db
def test_a_new_view_is_checked_without_being_listed(client, settings):
    settings.ROOT_URLCONF = __name__
    pages = {page.name: page for page in _pages() if page.name in {"record_detail", "leaky_detail"}}

    assert pages == {
        "record_detail": Page(name="record_detail", route="records/<int:pk>/", path="/records/1/"),
        "leaky_detail": Page(
            name="leaky_detail",
            route="leaky/<uuid:pk>/",
            path="/leaky/00000000-0000-0000-0000-000000000001/",
        ),
    }
    _assert_anonymous_visit_is_allowed_or_sent_to_sign_in(client, pages["record_detail"])
    with pytest.raises(AssertionError, match="leaky_detail answered 200 without sign-in"):
        _assert_anonymous_visit_is_allowed_or_sent_to_sign_in(client, pages["leaky_detail"])


def test_static_files_are_public(client, settings):
    settings.WHITENOISE_USE_FINDERS = True

    response = client.get("/static/css/app.css")

    assert response.status_code == 200
