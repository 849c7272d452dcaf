"""The user interviews HTTP layer: one module per resource (viewset and its serializers); rules live in the services."""
