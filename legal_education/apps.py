from youthwork.areas import WorkAreaConfig


class LegalEducationConfig(WorkAreaConfig):
    default = True  # apps.py also names WorkAreaConfig, so Django is told which config is the app's
    name = "legal_education"
    verbose_name = "权益维护"
    colour = "#1f6fb2"
    metrics_module = "legal_education.metrics"
    key_figures = ("law_events", "law_participants", "patrols", "psych_served", "publicity_reach")
    narrative = ("rights",)
    demo_module = "legal_education.demo"
