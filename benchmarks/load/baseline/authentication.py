"""`Authorization: Bearer <key>`: one indexed sha256 lookup joined to the user."""

import hashlib

from rest_framework import authentication, exceptions

from baseline.models import PersonalAPIKey


class KeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header.startswith("Bearer "):
            return None
        digest = "sha256$" + hashlib.sha256(header[7:].strip().encode()).hexdigest()
        key = (
            PersonalAPIKey.objects.select_related("user")
            .filter(secure_value=digest, user__is_active=True)
            .first()
        )
        if key is None:
            raise exceptions.AuthenticationFailed("Invalid key.")
        return key.user, key
