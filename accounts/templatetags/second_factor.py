from django import template

register = template.Library()


@register.filter
def in_groups_of_four(secret: str) -> str:
    """An authenticator key as "ABCD EFGH ...": easier to read out and type by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
