from seedwork.application.modules import ApplicationModule

bidding_module = ApplicationModule("bidding")
