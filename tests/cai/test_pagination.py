"""Every list page shows the nearest page for a page number out of range or not a number, never a 404
(a list shrinks while someone pages through it): one mixin, ``cai.pagination.NearestPageMixin``."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page", ["abc", "999", "-1"])
def test_audit_log_shows_the_nearest_page_for_a_bad_page_number(login, director, page):
    response = login(director).get(reverse("audit_log"), {"page": page})
    assert response.status_code == 200
    assert response.context["page_obj"].number == 1


@pytest.mark.parametrize(
    "url_name", ["privacy:activity_list", "privacy:breach_list", "privacy:access_review_list"]
)
def test_data_protection_lists_show_the_nearest_page_for_a_bad_page_number(login, director, url_name):
    response = login(director).get(reverse(url_name), {"page": "abc"})
    assert response.status_code == 200
