"""Posting Django admin forms from tests: the data a person would send, read from the page itself.

`form_data(response)` takes the add or change page's bound-to-be form (and its inline formsets) and
returns what the browser would post unchanged; a test then overrides the fields it changes.
"""

from django.forms.widgets import MultiWidget


def _value(field, value):
    if value is None:
        return ""
    if hasattr(value, "pk"):
        return value.pk
    return value


def _form_fields(form, prefix: str | None = None) -> dict:
    data = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name) if prefix is None else f"{prefix}-{name}"
        value = form.initial.get(name, field.initial)
        if callable(value):
            value = value()
        if isinstance(field.widget, MultiWidget):
            for i, part in enumerate(field.widget.decompress(value)):
                data[f"{key}_{i}"] = _value(field, part)
        elif isinstance(value, bool):
            if value:
                data[key] = "on"
        elif isinstance(value, list | tuple):
            data[key] = [_value(field, v) for v in value]
        else:
            data[key] = _value(field, value)
    return data


def form_data(response, **overrides) -> dict:
    context = response.context
    data = _form_fields(context["adminform"].form)
    for inline in context.get("inline_admin_formsets", []):
        formset = inline.formset
        management = formset.management_form
        data.update({management.add_prefix(k): management.initial.get(k, v.initial)
                     for k, v in management.fields.items()})
        for form in formset.initial_forms:
            data.update(_form_fields(form))
            data[form.add_prefix("id")] = form.instance.pk
    data.update(overrides)
    return data


def english(client):
    """The client asks for English pages, so that a test can read the (source) messages."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
