from django.urls import path  # noqa: F401

app_name = "parcours"

urlpatterns = [
    # path (person's path, deadlines)
    # sessions and duos
    # documents
]
