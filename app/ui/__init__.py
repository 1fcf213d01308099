"""The Qt user interface.  Only worker.py crosses the thread boundary."""
