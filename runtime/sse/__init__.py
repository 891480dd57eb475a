"""The SSE adapter: each channel an operation sends on is a ``text/event-stream``
served at ``GET`` on its path; events come from the emit path."""
