from seedwork.application.modules import ApplicationModule

iam_module = ApplicationModule("iam")
