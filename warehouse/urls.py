from api.routers import ProjectRouter
from warehouse.api.query import QueryViewSet
from warehouse.api.saved_queries import SavedQueryViewSet
from warehouse.api.tables import WarehouseTableViewSet

router = ProjectRouter()
router.register_project("warehouse_saved_queries", SavedQueryViewSet, "warehouse_saved_queries")
router.register_project("warehouse_tables", WarehouseTableViewSet, "warehouse_tables")
router.register_project("query", QueryViewSet, "query")

urlpatterns = router.urls
