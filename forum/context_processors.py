from forum.permissions import is_forum_staff
from forum.selectors import site_settings


def site(request):
    """Values every page may need. No queries: site_settings is called (and cached) only if a page uses it."""
    user = getattr(request, "user", None)
    return {"is_forum_staff": bool(user and is_forum_staff(user)), "site_settings": site_settings}
