import time

from django.conf import settings
from django.contrib.auth import logout

_SESSION_KEY = "last_activity"
# Saving the session on every request would cost a write per page; a minute's slack is harmless.
_WRITE_INTERVAL = 60


class SessionInactivityMiddleware:
    """Sign a person out after SESSION_INACTIVITY_TIMEOUT seconds without a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last_activity = request.session.get(_SESSION_KEY)
            if last_activity is not None and now - last_activity > settings.SESSION_INACTIVITY_TIMEOUT:
                logout(request)
            elif last_activity is None or now - last_activity >= _WRITE_INTERVAL:
                request.session[_SESSION_KEY] = now
        return self.get_response(request)
