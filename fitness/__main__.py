from fitness.console import run

run()
