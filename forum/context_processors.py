from forum.permissions import is_forum_staff


def site(request):
    """Values every page needs. Cheap: no queries."""
    user = getattr(request, "user", None)
    return {"is_forum_staff": bool(user and is_forum_staff(user))}
