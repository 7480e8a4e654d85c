from django.contrib import admin

from . import services
from .models import AccessReview, SubjectAccessRequest


@admin.register(AccessReview)
class AccessReviewAdmin(admin.ModelAdmin):
    """Read-only: reviews are computed by the weekly job and marked as seen from the application."""

    list_display = ("week_start", "flagged_count", "override_count", "reviewed_by", "reviewed_at")
    list_select_related = ("reviewed_by",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SubjectAccessRequest)
class SubjectAccessRequestAdmin(admin.ModelAdmin):
    list_display = ("received_on", "requester_name", "person", "due_on", "delivered_on")
    list_filter = ("delivered_on",)
    date_hierarchy = "received_on"
    raw_id_fields = ("person",)
    readonly_fields = ("due_on", "recorded_by", "created_at", "updated_at")
    fields = ("person", "requester_name", "received_on", "due_on", "delivered_on", "notes", "recorded_by")

    def get_readonly_fields(self, request, obj=None):
        """Once recorded, only the delivery date is set (through the service)."""
        if obj is None:
            return self.readonly_fields
        return (*self.readonly_fields, "person", "requester_name", "received_on", "notes")

    def save_model(self, request, obj, form, change):
        if change:
            services.subject_access_request_deliver(
                actor=request.user, request=obj, delivered_on=form.cleaned_data.get("delivered_on")
            )
            return
        created = services.subject_access_request_record(
            actor=request.user,
            person=form.cleaned_data.get("person"),
            received_on=form.cleaned_data["received_on"],
            requester_name=form.cleaned_data.get("requester_name", ""),
            notes=form.cleaned_data.get("notes", ""),
        )
        obj.pk = created.pk

    def has_delete_permission(self, request, obj=None):
        return False
