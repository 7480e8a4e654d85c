"""``LargeSelect`` writes the same drop-down as Django's ``Select``, without a template per option."""

import re

import pytest
from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from cai.widgets import LargeSelect

CHOICES = [
    ("", _("Tous les opérateurs")),
    ("1", 'Alpha & Omega <"Namur">'),
    ("2", "L'Entre-Nous"),
    ("Anciens", [("3", "Trois"), ("4", "Quatre")]),
]


def normalised(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.parametrize("value", ["", "1", "4", "inconnu"])
def test_large_select_renders_the_same_html_as_django_select(value):
    attrs = {"class": "form-select form-select-sm", "required": True, "disabled": False}
    expected = forms.Select(attrs=attrs, choices=CHOICES).render(
        "operator", value, attrs={"id": "id_operator"}
    )
    rendered = LargeSelect(attrs=attrs, choices=CHOICES).render(
        "operator", value, attrs={"id": "id_operator"}
    )
    assert normalised(rendered) == normalised(expected)


def test_large_select_escapes_labels_and_marks_the_chosen_option():
    html = LargeSelect(choices=CHOICES).render("operator", "1")
    assert '<option value="1" selected>Alpha &amp; Omega &lt;&quot;Namur&quot;&gt;</option>' in html
    assert '<option value="2">L&#x27;Entre-Nous</option>' in html
    assert '<optgroup label="Anciens">' in html
    assert html.count("selected") == 1


def test_large_select_keeps_safe_labels_as_they_are():
    html = LargeSelect(choices=[("1", mark_safe("A &amp; B"))]).render("x", "")
    assert ">A &amp; B</option>" in html


@pytest.mark.django_db
def test_model_choice_field_with_large_select_lists_and_validates_operators():
    from plateformes.models import Operator
    from tests.plateformes.factories import OperatorFactory

    first, second = OperatorFactory(name="Alpha Jambes"), OperatorFactory(name="Bêta Namur")
    field = forms.ModelChoiceField(queryset=Operator.objects.only("pk", "name"), widget=LargeSelect)
    html = field.widget.render("operator", second.pk)
    assert f'<option value="{first.pk}">Alpha Jambes</option>' in html
    assert f'<option value="{second.pk}" selected>Bêta Namur</option>' in html
    assert field.clean(str(first.pk)) == first
