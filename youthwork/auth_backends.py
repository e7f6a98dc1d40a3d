"""The login backend: Django's ModelBackend, reading a request's user together with their unit.

Nearly every page asks for the user's unit (access.home_unit: the top of what they see); reading it with
the user saves a query per request.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UnitModelBackend(ModelBackend):
    def get_user(self, user_id):
        model = get_user_model()
        try:
            user = model._default_manager.select_related("unit").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
