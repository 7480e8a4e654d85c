from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import services
from .models import (
    AccessOverride,
    Commune,
    EsfActionType,
    Language,
    Office,
    PermanenceException,
    PermanenceRule,
    Person,
    PersonMerge,
    PostalCode,
    RequestType,
)


class PermanenceRuleInline(admin.TabularInline):
    model = PermanenceRule
    extra = 0


class PermanenceExceptionInline(admin.TabularInline):
    model = PermanenceException
    extra = 0


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ("name", "is_head_office", "address")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("staff",)
    inlines = [PermanenceRuleInline, PermanenceExceptionInline]


class PostalCodeInline(admin.TabularInline):
    model = PostalCode
    extra = 0


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ("name", "nis_code", "main_postal_code", "arrondissement", "office")
    list_filter = ("arrondissement", "office")
    search_fields = ("name", "nis_code", "main_postal_code")
    filter_horizontal = ("agents",)
    inlines = [PostalCodeInline]


@admin.register(RequestType, EsfActionType)
class ReferenceItemAdmin(admin.ModelAdmin):
    list_display = ("label", "code", "position", "active")
    list_editable = ("position", "active")


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    """Files are kept in the application; the admin only lists them and merges duplicates."""

    list_display = ("last_name", "first_name", "birth_date", "office", "file_opened_on")
    list_filter = ("office",)
    search_fields = ("search_text",)
    actions = ["merge_two"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Fusionner les deux dossiers sélectionnés (le plus ancien est conservé)"))
    def merge_two(self, request, queryset):
        people = list(queryset.order_by("file_opened_on", "pk"))
        if len(people) != 2:
            self.message_user(
                request, _("Sélectionnez exactement deux dossiers à fusionner."), messages.ERROR
            )
            return
        kept, duplicate = people
        try:
            services.person_merge(actor=request.user, kept=kept, duplicate=duplicate)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        self.message_user(
            request, _("Les dossiers ont été fusionnés dans « %(kept)s ».") % {"kept": kept}, messages.SUCCESS
        )


@admin.register(PersonMerge)
class PersonMergeAdmin(admin.ModelAdmin):
    list_display = ("kept", "merged_person_id", "merged_by", "merged_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccessOverride)
class AccessOverrideAdmin(admin.ModelAdmin):
    """Read-only: overrides are granted from the application (with their reason), never edited."""

    list_display = ("granted_at", "user", "person", "expires_at")
    list_select_related = ("user", "person")
    search_fields = ("user__username", "user__last_name", "reason")
    date_hierarchy = "granted_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
