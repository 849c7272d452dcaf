"""The account endpoints (projects, organizations, the caller, personal API keys): viewsets and serializers."""
