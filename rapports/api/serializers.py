"""API representations of the report's versions (jobs). Requests are checked by
``services.report_request``; these serializers only shape input and output."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import JobStatus, ReportJob


class ReportRequestSerializer(serializers.Serializer):
    year = serializers.IntegerField(
        label=_("année"), help_text=_("L'année du rapport (de 2000 à l'année en cours).")
    )


class ReportAcceptedSerializer(serializers.Serializer):
    id = serializers.IntegerField(label=_("identifiant"))
    # A plain string here (always "pending"): the states' enum is documented once, on ReportJob.
    status = serializers.CharField(label=_("état"), help_text=_("« pending » : la version attend un worker."))


class ReportJobSerializer(serializers.ModelSerializer):
    fingerprint = serializers.CharField(
        source="figures_fingerprint",
        read_only=True,
        help_text=_("Empreinte (SHA-256) des chiffres : deux versions aux mêmes chiffres ont la même."),
    )
    requested_by = serializers.StringRelatedField(label=_("demandé par"))
    pdf_url = serializers.SerializerMethodField(help_text=_("Adresse du PDF, une fois la version terminée."))

    class Meta:
        model = ReportJob
        fields = [
            "id",
            "year",
            "version",
            "status",
            "progress",
            "step",
            "error",
            "pages",
            "fingerprint",
            "attempts",
            "requested_by",
            "requested_at",
            "started_at",
            "finished_at",
            "pdf_url",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_pdf_url(self, job) -> str | None:
        if job.status != JobStatus.DONE or not job.pdf:
            return None
        url = reverse("api-report-pdf", args=[job.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
