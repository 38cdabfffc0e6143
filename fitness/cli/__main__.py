from fitness.cli import run

run()
