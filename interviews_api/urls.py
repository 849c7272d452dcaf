from api.routers import ProjectRouter
from interviews_api.api.user_interviews import UserInterviewViewSet

router = ProjectRouter()
router.register_project("user_interviews", UserInterviewViewSet, "user_interviews")

urlpatterns = router.urls
