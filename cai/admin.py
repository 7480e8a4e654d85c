from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import SecurityEvent, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "is_active")
    list_filter = ("role", "is_active", "path_coordination")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Rôle dans le centre"), {"fields": ("role", "path_coordination")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Rôle dans le centre"), {"fields": ("role", "first_name", "last_name", "email")}),
    )


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    list_display = ("occurred_at", "kind", "username", "ip_address")
    list_filter = ("kind",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
