from django.contrib import admin

from .models import DispensationReason, ListReminderRun, Regime


@admin.register(Regime)
class RegimeAdmin(admin.ModelAdmin):
    list_display = (
        "label",
        "code",
        "starts_on",
        "attestation_months",
        "presentation_months",
        "evaluation_interval_months",
    )


@admin.register(DispensationReason)
class DispensationReasonAdmin(admin.ModelAdmin):
    list_display = ("label", "code", "valid_from", "valid_until", "position")
    list_editable = ("position",)


@admin.register(ListReminderRun)
class ListReminderRunAdmin(admin.ModelAdmin):
    """What the monthly reminder job did (read-only)."""

    list_display = ("month", "communes_reminded", "ran_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
