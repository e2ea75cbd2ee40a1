"""Permission predicates for talent pools, succession and nomination.

`accounts/rules.py` holds the role predicates and the other Scope for Growth permissions. What a
permitted person may see is narrowed further by the scoped selectors in
`conversations.talent_selectors` and `conversations.selectors`.
"""

import rules

from accounts.rules import is_talent_lead


@rules.predicate
def is_facilitator_of(user, conversation) -> bool:
    """The person facilitates the conversation (its line manager or chosen coach)."""
    return conversation is not None and user.is_authenticated and conversation.facilitator_id == user.pk


rules.add_perm("conversations.manage_talent", is_talent_lead)
rules.add_perm("conversations.nominate_to_talent_pool", is_facilitator_of)
