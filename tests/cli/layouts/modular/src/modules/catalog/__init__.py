from seedwork.application.modules import ApplicationModule

catalog_module = ApplicationModule("catalog")
