from api.routers import ProjectRouter
from interviews_api.views import UserInterviewViewSet

router = ProjectRouter()
router.register_project("user_interviews", UserInterviewViewSet, "user_interviews")

urlpatterns = router.urls
