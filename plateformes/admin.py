from django.contrib import admin

from .models import Acronym, GovernanceMeeting, Group, Operator, StaffMember


@admin.register(Operator)
class OperatorAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "recognition", "active")
    list_filter = ("kind", "recognition", "active")
    search_fields = ("name",)


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "office", "status")
    list_filter = ("kind", "status")


@admin.register(Acronym)
class AcronymAdmin(admin.ModelAdmin):
    list_display = ("acronym", "meaning")
    search_fields = ("acronym", "meaning")


admin.site.register([GovernanceMeeting, StaffMember])
