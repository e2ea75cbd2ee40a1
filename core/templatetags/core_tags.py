from django import template

from core.selectors import navigation_items_for

register = template.Library()


@register.simple_tag(takes_context=True)
def navigation_items(context):
    request = context["request"]
    return navigation_items_for(request.user, request.path)
