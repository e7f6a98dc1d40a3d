from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = "报送与审核"

    def load_demo(self, today) -> dict[str, tuple[int, int]]:
        """The demo's states of the quarter before `today`'s (called by youthwork.demo.load_demo, like every app's)."""
        from submissions.demo import load

        return load(today)
