from django.contrib import admin

from .models import DispensationReason, Regime


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
