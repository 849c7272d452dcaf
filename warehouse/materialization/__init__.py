"""Materializing saved queries: services.py claims, cancels and reverts runs; jobs.py is the queued job that
runs runner.py (a claimed plan into engine tables); schedule.py starts the runs that are due. Imports go one way:
schedule -> services -> jobs -> runner."""
