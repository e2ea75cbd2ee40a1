"""Template helpers for the Scope for Growth pages: links to optional pages, and status tags."""

from django import template
from django.urls import NoReverseMatch, reverse

from conversations.models import Conversation, DevelopmentAction

register = template.Library()

CONVERSATION_TAG_COLOURS = {
    Conversation.Status.PLANNED: "nhsuk-tag--blue",
    Conversation.Status.AWAITING_AGREEMENT: "nhsuk-tag--yellow",
    Conversation.Status.NOT_AGREED: "nhsuk-tag--orange",
    Conversation.Status.AGREED: "nhsuk-tag--green",
    Conversation.Status.CANCELLED: "nhsuk-tag--grey",
}
ACTION_TAG_COLOURS = {
    DevelopmentAction.Status.NOT_STARTED: "nhsuk-tag--grey",
    DevelopmentAction.Status.IN_PROGRESS: "nhsuk-tag--blue",
    DevelopmentAction.Status.DONE: "nhsuk-tag--green",
    DevelopmentAction.Status.DROPPED: "nhsuk-tag--white",
}


@register.simple_tag
def optional_url(name, *args, **kwargs):
    """The URL of a page, or "" when this deployment does not serve it.

    `{% optional_url "conversations:conversation_pdf" pk=conversation.pk as pdf_url %}` then
    `{% if pdf_url %}...{% endif %}`: a page that is not there leaves its link out instead of failing.
    """
    try:
        return reverse(name, args=args, kwargs=kwargs)
    except NoReverseMatch:
        return ""


@register.filter
def conversation_tag_class(status: str) -> str:
    return CONVERSATION_TAG_COLOURS.get(status, "nhsuk-tag--grey")


@register.filter
def action_tag_class(status: str) -> str:
    return ACTION_TAG_COLOURS.get(status, "nhsuk-tag--grey")
