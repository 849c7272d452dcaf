from api.routers import OptionalSlashRouter
from users.api.views import (
    MeViewSet,
    OrganizationProjectViewSet,
    OrganizationViewSet,
    PersonalAPIKeyViewSet,
    ProjectViewSet,
)

router = OptionalSlashRouter()
router.register("projects", ProjectViewSet, basename="project")
router.register("organizations", OrganizationViewSet, basename="organization")
router.register(
    r"organizations/(?P<organization_id>[^/.]+)/projects", OrganizationProjectViewSet, "organization_project"
)
router.register("users", MeViewSet, basename="user")
router.register("personal_api_keys", PersonalAPIKeyViewSet, basename="personal_api_key")

urlpatterns = router.urls
