from youthwork.areas import WorkAreaConfig


class ActivitiesConfig(WorkAreaConfig):
    default = True  # apps.py also names WorkAreaConfig, so Django is told which config is the app's
    name = "activities"
    verbose_name = "思想引领"
    colour = "#c8102e"
    metrics_module = "activities.metrics"
    key_figures = ("league_days", "pioneer_days", "theme_day_participants", "lesson_participants", "contestants")
    narrative = ("guidance",)
    demo_module = "activities.demo"

    def narrative_values(self, figures: dict) -> dict:
        mine = figures[self.label]
        return {"uncovered_schools": mine["schools"] - mine["schools_with_ceremony_ytd"]}
