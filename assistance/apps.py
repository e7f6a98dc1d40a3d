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

    def narrative_values(self, figures: dict) -> dict:
        """The kind of donor the funds lean on, if one gave most of them (the report's 资源整合不足), its share,
        and the kinds of social donor to reach out to besides it."""
        mine = figures[self.label]
        dominant = self.metrics.dominant_donor_type(mine)
        social = [kind for kind in ("爱心企业", "社会团体", "基金会") if kind != dominant]
        return {
            "dominant_donor_type": dominant,
            "donor_share": [mine["funds_top_donor_type_ytd"], mine["funds_ytd"]],
            "social_donor_types": social,
        }
