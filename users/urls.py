from api.routers import OptionalSlashRouter
from users.views import MeViewSet, PersonalAPIKeyViewSet, ProjectViewSet

router = OptionalSlashRouter()
router.register("projects", ProjectViewSet, basename="project")
router.register("users", MeViewSet, basename="user")
router.register("personal_api_keys", PersonalAPIKeyViewSet, basename="personal_api_key")

urlpatterns = router.urls
