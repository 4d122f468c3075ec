from notifications import selectors


def unread(request):
    """The header's unread count, counted only if a page shows it (one indexed query)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": lambda: selectors.unread_count(member_id=user.pk)}
