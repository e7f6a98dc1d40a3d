from youthwork.areas import WorkAreaConfig


class AssistanceConfig(WorkAreaConfig):
    default = True  # apps.py also names WorkAreaConfig, so Django is told which config is the app's
    name = "assistance"
    verbose_name = "关心关爱"
    colour = "#f28e2b"
    metrics_module = "assistance.metrics"
    key_figures = ("funds", "care_events", "care_beneficiaries", "teaching_children", "internship_students")
    amount_chart = ("募集资金", "funds_by_month")
    narrative = ("care",)
    demo_module = "assistance.demo"
