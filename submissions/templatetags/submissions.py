from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template ({{ row.records|get_item:area }}), None when missing."""
    return mapping.get(key) if mapping else None
