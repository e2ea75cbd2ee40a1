from functools import wraps

from django.http import Http404


def permission_required_or_404(permission: str):
    """Answer 404, not 403, when the person lacks the permission: never hint that a page exists."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(permission):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
