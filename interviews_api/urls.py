from api.routers import ProjectRouter

router = ProjectRouter()

urlpatterns = router.urls
