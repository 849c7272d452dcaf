from api.routers import ProjectRouter
from warehouse.query_api import QueryViewSet
from warehouse.tables_api import WarehouseTableViewSet
from warehouse.views import SavedQueryViewSet

router = ProjectRouter()
router.register_project("warehouse_saved_queries", SavedQueryViewSet, "warehouse_saved_queries")
router.register_project("warehouse_tables", WarehouseTableViewSet, "warehouse_tables")
router.register_project("query", QueryViewSet, "query")

urlpatterns = router.urls
