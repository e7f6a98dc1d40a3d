from django.apps import AppConfig


class LegalEducationConfig(AppConfig):
    name = "legal_education"
    verbose_name = "权益维护"
